// Shapes of the documents stored in Firestore (see docs/architecture.md for the tree).
import { z } from 'zod';
import { documentIdSchema, roleSchema, slugSchema, timestampSchema } from './common.js';
import { keyIdSchema } from './api-key.js';
import { LIMITS } from './limits.js';
import { agentHealthSchema, configurationValueSchema, hostFactsSchema, testResultSchema } from './report.js';

export const workspaceSettingsSchema = z.object({
  retentionDays: z.number().int().min(1).max(365),
  reportingIntervalSeconds: z.number().int().min(60).max(86_400),
  failedTestThreshold: z.number().int().min(1).max(100),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = {
  retentionDays: 30,
  reportingIntervalSeconds: 300,
  failedTestThreshold: 1,
};

export const workspaceSchema = z.object({
  name: z.string().min(1).max(LIMITS.workspaceNameLength),
  createdAt: timestampSchema,
  createdBy: z.string(),
  settings: workspaceSettingsSchema,
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const notificationChoiceSchema = z.enum(['instant', 'digest', 'off']);
export const EVENT_KINDS = [
  'test_failed',
  'test_recovered',
  'config_changed',
  'solution_added',
  'solution_removed',
  'agent_offline',
  'agent_online',
] as const;
export const eventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof eventKindSchema>;

export const notificationPreferencesSchema = z.record(eventKindSchema, notificationChoiceSchema);
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  test_failed: 'instant',
  test_recovered: 'instant',
  config_changed: 'instant',
  solution_added: 'digest',
  solution_removed: 'instant',
  agent_offline: 'instant',
  agent_online: 'instant',
};

export const memberSchema = z.object({
  role: roleSchema,
  email: z.string().nullable(),
  joinedAt: timestampSchema,
  notifications: notificationPreferencesSchema,
});
export type Member = z.infer<typeof memberSchema>;

/** `users/{uid}`: where a signed-in user finds their workspaces with one read. Written by functions. */
export const userProfileSchema = z.object({
  email: z.string().nullable(),
  personalWorkspaceId: z.string(),
  /** Mirror of every membership, kept by a trigger on `workspaces/{ws}/members/{uid}`. */
  workspaces: z.record(z.string(), roleSchema),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

export const agentStatusSchema = z.enum(['online', 'offline', 'never-seen']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const agentSummarySchema = z.object({
  solutions: z.array(slugSchema),
  testsPassed: z.number().int().min(0),
  testsFailed: z.number().int().min(0),
});

export const agentSchema = z.object({
  name: z.string().min(1).max(LIMITS.agentNameLength),
  description: z.string().max(LIMITS.agentDescriptionLength),
  status: agentStatusSchema,
  createdAt: timestampSchema,
  createdBy: z.string(),
  intervalSeconds: z.number().int().positive(),
  keyId: keyIdSchema.nullable(),
  keyPrefix: z.string().nullable(),
  revokedAt: timestampSchema.nullable(),
  lastSeenAt: timestampSchema.nullable(),
  lastReportId: documentIdSchema.nullable(),
  agentVersion: z.string().nullable(),
  host: hostFactsSchema.nullable(),
  summary: agentSummarySchema,
  lastCollectedAt: z.string().nullable().optional(),
  /** The agent's clock minus the server's at its newest live report, in seconds (positive: ahead). */
  clockSkewSeconds: z.number().nullable().optional(),
  /** The reporting interval the last ingest reply told this agent (silence is judged by it). */
  announcedIntervalSeconds: z.number().int().positive().optional(),
  /** Copied from the workspace settings (and kept in step by onWorkspaceWritten), so ingest and the report trigger need not read the workspace. */
  failedTestThreshold: z.number().int().min(1).max(100).optional(),
  /** Tests passing and failing per hour (the latest report of each hour), newest last, at most 48. */
  testsHistory: z.array(z.object({ hour: z.string(), passed: z.number().int(), failed: z.number().int() })).optional(),
  /**
   * The agent's own health from its newest report (report.agentHealth), with `lastCrash` the newest
   * crash any report carried. Null when the newest report had none (send_agent_health: false).
   */
  health: agentHealthSchema.nullable().optional(),
});
export type Agent = z.infer<typeof agentSchema>;

export const HISTORY_POINTS = 48;

/** One report in an agent's recent history: what the timeline and the charts draw. */
export const historyPointSchema = z.object({
  reportId: documentIdSchema,
  collectedAt: z.string(),
  passed: z.number().int(),
  failed: z.number().int(),
  solutions: z.record(
    slugSchema,
    z.object({
      /** Test id → passed. */
      tests: z.record(z.string(), z.boolean()),
      metrics: z.record(z.string(), z.number()),
    }),
  ),
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

/**
 * `agents/{agentId}/acks/{solutionId}__{testId}`: a member marked a failing test as checked.
 * It applies while the test's current failure streak is the one acknowledged (testAlerts.since).
 */
export const testAckSchema = z.object({
  solutionId: slugSchema,
  testId: slugSchema,
  acknowledgedBy: z.string(),
  acknowledgedAt: timestampSchema,
  /** The failure streak acknowledged: testAlerts[testId].since when it was checked. */
  failingSince: z.string(),
});
export type TestAck = z.infer<typeof testAckSchema>;

/** A test's alerting state: how many reports in a row it failed, and whether that raised an alert. */
export const testAlertStateSchema = z.object({
  failures: z.number().int().min(0),
  alerting: z.boolean(),
  /** collectedAt of the first report of the current failure streak; absent while passing. */
  since: z.string().optional(),
});
export type TestAlertState = z.infer<typeof testAlertStateSchema>;

export const solutionStateSchema = z.object({
  version: z.string().nullable(),
  configuration: z.record(z.string(), configurationValueSchema),
  metrics: z.record(z.string(), z.number()),
  tests: z.array(testResultSchema),
  errors: z.array(z.object({ code: z.string().optional(), message: z.string() })),
  testAlerts: z.record(z.string(), testAlertStateSchema),
});
export type SolutionState = z.infer<typeof solutionStateSchema>;

/** `agents/{agentId}/state/current`: the latest of everything, so a page costs one read. */
export const agentStateSchema = z.object({
  reportId: documentIdSchema,
  collectedAt: z.string(),
  updatedAt: timestampSchema,
  solutions: z.record(slugSchema, solutionStateSchema),
  /** The last HISTORY_POINTS reports, oldest first (see historyPointSchema). */
  history: z.array(historyPointSchema).optional(),
});
export type AgentState = z.infer<typeof agentStateSchema>;

/** `agentKeys/{keyId}`: only functions read or write it. */
export const agentKeySchema = z.object({
  workspaceId: z.string(),
  agentId: z.string(),
  /** Lower-case hex SHA-256 of the key's secret part. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: timestampSchema,
  revokedAt: timestampSchema.nullable(),
});
export type AgentKey = z.infer<typeof agentKeySchema>;

export const eventEmailSchema = z.object({
  /** pending: not sent yet; sending: claimed by one function run; sent; skipped (nobody wants it instantly); failed. */
  state: z.enum(['pending', 'sending', 'sent', 'skipped', 'failed']),
  at: timestampSchema.nullable(),
  error: z.string().nullable(),
  recipients: z.number().int().min(0).optional(),
});

/** One test in a test_failed or test_recovered event. */
export const eventTestSchema = z.object({
  solutionId: slugSchema,
  testId: slugSchema,
  type: z.string(),
  message: z.string(),
});

/** One changed configuration field; `before` or `after` is null when the field appeared or went away. */
export const configChangeSchema = z.object({
  solutionId: slugSchema,
  key: z.string(),
  before: configurationValueSchema,
  after: configurationValueSchema,
});
export type ConfigChange = z.infer<typeof configChangeSchema>;

export const eventDetailsSchema = z.object({
  tests: z.array(eventTestSchema).optional(),
  changes: z.array(configChangeSchema).optional(),
  solutions: z.array(slugSchema).optional(),
  /** agent_offline: when the agent was last heard from (ISO) and how many intervals it missed. */
  lastSeenAt: z.string().nullable().optional(),
  missedIntervals: z.number().optional(),
});
export type EventDetails = z.infer<typeof eventDetailsSchema>;

/**
 * `workspaces/{ws}/events/{eventId}`: one per report and kind (a report with three failing tests
 * makes one test_failed event, so one email). Ids are deterministic, so a redelivered trigger
 * cannot create a second one.
 */
export const eventSchema = z.object({
  kind: eventKindSchema,
  agentId: z.string(),
  agentName: z.string(),
  hostname: z.string().nullable(),
  /** Every solution the event is about, for `array-contains` filters. */
  solutionIds: z.array(slugSchema),
  reportId: documentIdSchema.nullable(),
  /** When Vigil processed it. */
  createdAt: timestampSchema,
  /** When it happened (ISO 8601): the report's (clamped) collection time, or when the agent became overdue. Absent on events stored before it existed. */
  occurredAt: z.string().optional(),
  details: eventDetailsSchema,
  acknowledgedAt: timestampSchema.nullable(),
  acknowledgedBy: z.string().nullable(),
  email: eventEmailSchema,
});
export type VigilEvent = z.infer<typeof eventSchema>;
