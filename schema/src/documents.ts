// Shapes of the documents stored in Firestore (see docs/architecture.md for the tree).
import { z } from 'zod';
import { documentIdSchema, roleSchema, slugSchema, timestampSchema } from './common.js';
import { keyIdSchema } from './api-key.js';
import { LIMITS } from './limits.js';
import { LABEL_LIMITS } from './constants/enrollment.js';
import { LABEL_PAIR_MAX_LENGTH } from './labels.js';
import { EVENT_KINDS } from './constants/event-kinds.js';
import { NOTIFICATION_CHOICES } from './constants/notifications.js';
import { AUDIT_RETENTION_DAYS, KEY_ROTATION_DAYS, WORKSPACE_SETTING_BOUNDS, type WorkspaceSettingKey } from './constants/workspace-settings.js';
import { agentHealthSchema, agentUpdateStatusSchema, configurationValueSchema, hostFactsSchema, reportSchema, testResultSchema } from './report.js';

/** A whole number within the setting's bounds (constants/workspace-settings.ts). */
function settingSchema(key: WorkspaceSettingKey) {
  const { min, max } = WORKSPACE_SETTING_BOUNDS[key];
  return z.number().int().min(min).max(max);
}

/** settings.keyRotationDays, and the agent's copy of it: whole days within KEY_ROTATION_DAYS. */
export const keyRotationDaysSchema = z
  .number()
  .int()
  .min(KEY_ROTATION_DAYS.min, `${KEY_ROTATION_DAYS.label} must be at least ${KEY_ROTATION_DAYS.min} days`)
  .max(KEY_ROTATION_DAYS.max, `${KEY_ROTATION_DAYS.label} must be at most ${KEY_ROTATION_DAYS.max} days`);

export const workspaceSettingsSchema = z.object({
  retentionDays: settingSchema('retentionDays'),
  reportingIntervalSeconds: settingSchema('reportingIntervalSeconds'),
  failedTestThreshold: settingSchema('failedTestThreshold'),
  /** The audit log's retention; absent on older workspaces (AUDIT_RETENTION_DAYS.default applies). */
  auditRetentionDays: z.number().int().min(AUDIT_RETENTION_DAYS.min).max(AUDIT_RETENTION_DAYS.max).optional(),
  /** Automatic key rotation: agents whose key is older than this many days are asked to rotate it; absent or null, off. */
  keyRotationDays: keyRotationDaysSchema.nullable().optional(),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const workspaceSchema = z.object({
  name: z.string().min(1).max(LIMITS.workspaceNameLength),
  createdAt: timestampSchema,
  createdBy: z.string(),
  settings: workspaceSettingsSchema,
  /**
   * The operator's cap on agents for this workspace, replacing MAX_AGENTS_PER_WORKSPACE (0 stops
   * enrollment). Written with the Admin SDK only: firestore.rules let no client touch it.
   */
  maxAgents: z.number().int().min(0).optional(),
  /**
   * The operator's cap on event emails per clock hour for this workspace, replacing
   * MAX_EMAILS_PER_HOUR (0: every alert is told in the hour's one summary email). Admin SDK only,
   * like maxAgents.
   */
  maxEmailsPerHour: z.number().int().min(0).optional(),
  /**
   * Set by onWorkspaceWritten when retentionDays went down: documents written before this instant
   * may carry an expiry (expireAt) later than the new setting allows. While it is set, pruneOldData
   * deletes this workspace's data older than the current retention, and clears it once that cut-off
   * has passed this instant. Functions only (firestore.rules let clients change name and settings only).
   */
  retentionCutoffPending: timestampSchema.optional(),
  /**
   * When something the fleet summary counts changed with no agent document left to say so (deleteAgent):
   * the summarizeFleets schedule recomputes this workspace too. Functions only.
   */
  fleetChangedAt: timestampSchema.optional(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const notificationChoiceSchema = z.enum(NOTIFICATION_CHOICES);
export const eventKindSchema = z.enum(EVENT_KINDS);

export const notificationPreferencesSchema = z.record(eventKindSchema, notificationChoiceSchema);

export const memberSchema = z.object({
  role: roleSchema,
  email: z.string().nullable(),
  joinedAt: timestampSchema,
  notifications: notificationPreferencesSchema,
  /** Set by bootstrapWorkspace at each sign-in (absent until the member's next one). */
  lastActiveAt: timestampSchema.optional(),
  /** Who invited them, for members who joined by an invitation. */
  invitedBy: z.object({ uid: z.string(), email: z.string().nullable() }).optional(),
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

/** Why a key rotation was asked for: by a person on the dashboard, or by the workspace's schedule. */
export const KEY_ROTATION_REASONS = ['dashboard', 'automatic'] as const;
export const keyRotationSchema = z.object({
  requestedAt: timestampSchema,
  reason: z.enum(KEY_ROTATION_REASONS),
  /** Who asked for it (the dashboard's caller); absent for an automatic rotation. */
  requestedBy: z.object({ uid: z.string(), email: z.string().nullable() }).optional(),
  /** When fetchAgentKey last issued the pending key (null: not fetched yet). */
  fetchedAt: timestampSchema.nullable(),
});
export type KeyRotation = z.infer<typeof keyRotationSchema>;

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
  /** Receipt sequence of the newest report ingest accepted: reports are ordered by it, never by their clock. */
  receiptSequence: z.number().int().min(0).optional(),
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
  // The scale model (docs/architecture.md, "Scale and cost"): ingest writes this document once per
  // report and stores the report itself only when its content changed (storedReportReasonSchema).
  /**
   * The silence deadline: when this agent becomes overdue (lastSeenAt + 3 judged intervals + grace,
   * silence.ts `silenceDeadlineMs`). Set by ingest on every report; null while the agent is
   * offline, never seen or revoked. The offline detector queries `offlineAt <= now` (indexed), so
   * it reads only the agents that are overdue.
   */
  offlineAt: timestampSchema.nullable().optional(),
  /** Hash of the newest live report's content (report-content.ts): what decides whether a report is stored. */
  contentHash: z.string().optional(),
  /** Live reports received with that same content since it last changed (0: the report that changed it). */
  unchangedReports: z.number().int().min(0).optional(),
  /** The newest stored live report of this agent (reports/{id}) and when it was received (backfill reports do not move them). */
  lastStoredReportId: documentIdSchema.nullable().optional(),
  lastStoredAt: timestampSchema.nullable().optional(),
  /**
   * When something the fleet summary counts changed (status, revocation, the summary's solutions
   * and test counts): the summary schedule recomputes only workspaces with an agent changed
   * since its last run. Never set by a report that changed nothing of it.
   */
  changedAt: timestampSchema.optional(),
  /** Copied from the workspace settings like failedTestThreshold: the expiry (TTL) ingest and the detector stamp. */
  retentionDays: z.number().int().min(1).max(365).optional(),
  /**
   * Copied from the workspace settings like retentionDays: ingest asks the agent to rotate a key
   * older than this (agents/key-rotation.ts `automaticRotationDue`); absent or null, off.
   */
  keyRotationDays: keyRotationDaysSchema.nullable().optional(),
  /**
   * The newest live report's metrics, per solution (at most METRICS_KEPT_PER_SOLUTION each), and
   * their hourly history (the last value of each hour, newest last, at most HISTORY_POINTS hours):
   * the charts' source, on the document written anyway. Not indexed (firestore.indexes.json).
   */
  metrics: z.record(slugSchema, z.record(z.string(), z.number())).optional(),
  metricsHistory: z.array(z.object({ hour: z.string(), solutions: z.record(slugSchema, z.record(z.string(), z.number())) })).optional(),
  /**
   * Labels (labels.ts): key → value, set by enrollment and setAgentLabels. Indexed (the agents list
   * filters by `labels.<key> == value`), so never exempted in firestore.indexes.json.
   */
  labels: z.record(z.string(), z.string()).optional(),
  /** SHA-256 hex of "vigil:" + the host's /etc/machine-id, for agents that enrolled with a token: one agent per machine. */
  machineIdHash: z.string().optional(),
  /** The enrollment token an enrolled agent came with (enrollAgent); absent for createAgent's agents. */
  enrolledBy: z.object({ tokenId: z.string() }).optional(),
  /**
   * A key rotation the agent carries out itself (functions/src/agents/key-rotation.ts): requested by
   * requestKeyRotation, asked of the agent by every ingest reply to its current key, answered by
   * fetchAgentKey; null or absent when none is pending.
   */
  keyRotation: keyRotationSchema.nullable().optional(),
  /** The key fetchAgentKey issued for that rotation: accepted beside keyId until its first report promotes it. */
  pendingKeyId: keyIdSchema.nullable().optional(),
  /**
   * The agent's update policy and its last update attempt, from its newest live report
   * (report.update); null when that report had none (an agent older than self-update). Whether it
   * is out of date is `agentVersion` against the version the dashboard serves.
   */
  update: agentUpdateStatusSchema.nullable().optional(),
});
export type Agent = z.infer<typeof agentSchema>;

/** Why ingest stored a report (reports are stored only when one of these holds; docs/architecture.md "Scale and cost"). */
export const STORED_REPORT_REASONS = ['first', 'changed', 'streak', 'checkpoint'] as const;
export const storedReportReasonSchema = z.enum(STORED_REPORT_REASONS);
export type StoredReportReason = z.infer<typeof storedReportReasonSchema>;
/** Metrics kept per solution on the agent document (latest and hourly history): enough for charts. */
export const METRICS_KEPT_PER_SOLUTION = 10;

/**
 * What ingest reads of `agents/{agentId}` to decide on a report: the fields it checks typed, and
 * those whose own helpers tolerate a malformed value (the token bucket, the hourly tests history,
 * the health, the receipt sequence) passed through as they are stored. An agent document that
 * fails it is refused like a missing one (functions/src/ingest/ingest-report.ts).
 */
export const ingestAgentSchema = agentSchema
  .pick({ name: true, status: true, intervalSeconds: true, keyId: true, revokedAt: true, lastSeenAt: true, failedTestThreshold: true })
  .extend({
    receiptSequence: z.unknown().optional(),
    ingestBudget: z.unknown().optional(),
    testsHistory: z.unknown().optional(),
    health: z.unknown().optional(),
    // The scale model's bookkeeping (functions/src/ingest/store-decision.ts): a malformed value
    // means "not known" (the report is stored, the summary counts as changed), never a refusal.
    lastReportId: z.unknown().optional(),
    summary: z.unknown().optional(),
    contentHash: z.unknown().optional(),
    unchangedReports: z.unknown().optional(),
    lastStoredAt: z.unknown().optional(),
    retentionDays: z.unknown().optional(),
    // Automatic key rotation's copied setting: anything but a valid number of days is off.
    keyRotationDays: z.unknown().optional(),
    metrics: z.unknown().optional(),
    metricsHistory: z.unknown().optional(),
    // A rotation in progress (functions/src/agents/key-rotation.ts reads both tolerantly: a
    // malformed value is no rotation, so the current key keeps working).
    keyRotation: z.unknown().optional(),
    pendingKeyId: z.unknown().optional(),
    // Stamped on stored reports and the agent_online event (labels.ts labelPairs reads it
    // tolerantly: a malformed map is no labels, never a refusal).
    labels: z.unknown().optional(),
    // Deferred agent writes (functions/src/ingest/deferred-write.ts): the deadline the document
    // holds, and the facts about itself an agent's report must leave unchanged to be deferred.
    offlineAt: z.unknown().optional(),
    agentVersion: z.unknown().optional(),
    update: z.unknown().optional(),
  });
export type IngestAgent = z.infer<typeof ingestAgentSchema>;

/** Why the report trigger did not process a report: it fails reportSchema (`invalid`), or processing it failed deterministically (`failed`). */
export const reportProcessingSchema = z.object({
  state: z.enum(['invalid', 'failed']),
  error: z.string(),
});
export type ReportProcessing = z.infer<typeof reportProcessingSchema>;

/** An agent's labels as `key=value` pairs (labels.ts labelPairs), as events and stored reports carry them. */
export const labelPairsSchema = z.array(z.string().max(LABEL_PAIR_MAX_LENGTH)).max(LABEL_LIMITS.maxLabels);

/**
 * What ingest stamps on `agents/{agentId}/reports/{reportId}` beside the report itself, for the
 * report trigger (on-report-created.ts), so it reads neither the agent nor the workspace.
 */
export const storedReportStampsSchema = z.object({
  agentId: z.string().min(1),
  /** The agent's name when the report was received. */
  agentName: z.string().min(1).max(LIMITS.agentNameLength),
  /** The workspace's failed-test threshold, as copied on the agent. */
  failedTestThreshold: z.number().int().min(1).max(100),
  /** Receipt order (receipt.ts), which the trigger applies reports in. Absent on reports stored before it existed. */
  receiptSequence: z.number().int().min(0).optional(),
  /** What the agent sent as collectedAt, present only when its clock was too far ahead to be believed (collectedAt is then the receipt time). */
  sentCollectedAt: z.string().optional(),
  receivedAt: timestampSchema,
  /** Set by the trigger when it did not process the report. */
  processing: reportProcessingSchema.optional(),
  /** Why ingest stored this report (absent on reports stored before the scale model). */
  storedBecause: storedReportReasonSchema.optional(),
  /** When retention deletes it (the TTL field, firestore.indexes.json): receivedAt + the workspace's retentionDays. */
  expireAt: timestampSchema.optional(),
  /** The agent's retentionDays when it was received: the trigger's events expire by it too. */
  retentionDays: z.number().int().min(1).max(365).optional(),
  /** The workspace, so retention's collection-group queries can find a workspace's reports. */
  workspaceId: z.string().min(1).optional(),
  /** The agent's labels when it was received, as the trigger's events carry them. Absent on reports stored before it existed. */
  labelPairs: labelPairsSchema.optional(),
});

/**
 * `agents/{agentId}/reports/{reportId}`: the report as received (collectedAt clamped by ingest)
 * with ingest's stamps. An intersection, so reportSchema's checks (its stored size among them)
 * see the report alone, as ingest checked it.
 */
export const storedReportSchema = z.intersection(reportSchema, storedReportStampsSchema);
export type StoredReport = z.infer<typeof storedReportSchema>;

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
 * `agents/{agentId}/acks/{solutionId}~{testId}` (paths.testAck): a member marked a failing test as checked.
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
  /** The receipt sequence of that report (null on states from before it existed): a live report received later replaces this state. */
  receiptSequence: z.number().int().nullable().optional(),
  updatedAt: timestampSchema,
  solutions: z.record(slugSchema, solutionStateSchema),
  /** The last HISTORY_POINTS reports, oldest first (see historyPointSchema). */
  history: z.array(historyPointSchema).optional(),
});
export type AgentState = z.infer<typeof agentStateSchema>;

/**
 * `workspaces/{ws}/summary/fleet` (paths.fleetSummary): what the overview shows, so an overview load
 * costs one read whatever the fleet's size. Written only by the `summarizeFleets` schedule
 * (functions/src/summary/), recomputed for a workspace only when one of its agents changed
 * (agent.changedAt) or was deleted, at most once a minute; never by a report.
 */
export const fleetSummarySchema = z.object({
  computedAt: timestampSchema,
  counts: z.object({
    agents: z.number().int().min(0),
    online: z.number().int().min(0),
    offline: z.number().int().min(0),
    neverSeen: z.number().int().min(0),
    revoked: z.number().int().min(0),
    /** Agents with at least one failing test. */
    failing: z.number().int().min(0),
    /** Solutions found across agents, each agent counted (two hosts with ClamAV: 2). */
    solutionsInstalled: z.number().int().min(0),
    /** Different solutions across the fleet. */
    solutionKinds: z.number().int().min(0),
    testsPassed: z.number().int().min(0),
    testsFailed: z.number().int().min(0),
  }),
  /** Tests passing and failing across the fleet at the end of each hour, newest last, at most HISTORY_POINTS hours. */
  hours: z.array(z.object({ hour: z.string(), passed: z.number().int().min(0), failed: z.number().int().min(0) })),
  /** The agents needing attention (most failing tests first, then offline), at most FLEET_ATTENTION_AGENTS. */
  attention: z.array(
    z.object({
      agentId: documentIdSchema,
      name: z.string(),
      status: agentStatusSchema,
      testsFailed: z.number().int().min(0),
      lastSeenAt: timestampSchema.nullable(),
    }),
  ),
});
export type FleetSummary = z.infer<typeof fleetSummarySchema>;
export const FLEET_ATTENTION_AGENTS = 10;

/** `agentKeys/{keyId}`: only functions read or write it. */
export const agentKeySchema = z.object({
  workspaceId: z.string(),
  agentId: z.string(),
  /** Lower-case hex SHA-256 of the key's secret part. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: timestampSchema,
  revokedAt: timestampSchema.nullable(),
  /** 32 random bytes, base64url: the HMAC key of this key's agent tickets (functions/src/ingest/agent-ticket.ts). Set by issueKey; a key from before tickets gets one from ingest. */
  ticketSecret: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
});
export type AgentKey = z.infer<typeof agentKeySchema>;

/**
 * Where an event's email stands. Unfinished: `pending` (not tried yet), `sending` (claimed by one
 * function run until `leaseUntil`; an expired lease may be claimed again), `retrying` (an attempt
 * failed in a way worth retrying; the sweep tries again at `nextAttemptAt`). Final: `sent`,
 * `skipped` (nobody to mail, or the agent is gone: see `reason`), `capped` (over the workspace's
 * hourly cap: counted in that hour's summary email instead), `failed` (SendGrid refused it, or
 * every attempt failed: see `reason` and `error`).
 */
export const EMAIL_STATES = ['pending', 'sending', 'retrying', 'sent', 'skipped', 'capped', 'failed'] as const;
export const emailStateSchema = z.enum(EMAIL_STATES);
export type EmailState = z.infer<typeof emailStateSchema>;
export const UNFINISHED_EMAIL_STATES = ['pending', 'sending', 'retrying'] as const satisfies readonly EmailState[];

export const EMAIL_REASONS = [
  /** skipped: no member wants this kind instantly. */
  'no_recipients',
  /** skipped: the members who want it have not verified their address. */
  'no_verified_recipients',
  /** skipped: the agent was deleted, or revoked, before its event was mailed. */
  'agent_deleted',
  'agent_revoked',
  /** capped: over MAX_EMAILS_PER_HOUR for the workspace. */
  'hourly_cap',
  /** failed: the event document is malformed. */
  'malformed',
  /** failed: SendGrid refused the request (a 4xx other than 408 and 429): retrying cannot help. */
  'rejected',
  /** failed: EMAIL_DELIVERY.maxAttempts attempts failed. */
  'gave_up',
] as const;
export const emailReasonSchema = z.enum(EMAIL_REASONS);
export type EmailReason = z.infer<typeof emailReasonSchema>;

/** How email delivery retries (functions/src/alerts/email-delivery.ts). */
export const EMAIL_DELIVERY = {
  /** A claim holds this long; longer than one send can take (the mailer times out sooner). */
  leaseSeconds: 180,
  /** The mailer's HTTP timeout per send. */
  sendTimeoutSeconds: 30,
  /** Attempts before an email is given up (`failed`, reason gave_up): about 2 hours of retries. */
  maxAttempts: 8,
  /** Delay before the first retry; each further one doubles, up to maxRetrySeconds. */
  firstRetrySeconds: 60,
  maxRetrySeconds: 3600,
  /** A `pending` email older than this was missed by its trigger: the sweep sends it. */
  sweepPendingAfterSeconds: 120,
  /** Default of the MAX_EMAILS_PER_HOUR param: event emails per workspace per clock hour (UTC). */
  defaultMaxEmailsPerHour: 30,
} as const;

export const eventEmailSchema = z.object({
  state: emailStateSchema,
  /** When the current state was recorded. */
  at: timestampSchema.nullable(),
  /** SendGrid's answer (or why it could not be reached) on the last failed attempt. */
  error: z.string().nullable(),
  /** Verified addresses it went (or was to go) to. */
  recipients: z.number().int().min(0).optional(),
  /** Members who chose it but were left out because their address is not verified. */
  unverified: z.number().int().min(0).optional(),
  reason: emailReasonSchema.nullable().optional(),
  attempts: z.number().int().min(0).optional(),
  leaseUntil: timestampSchema.nullable().optional(),
  nextAttemptAt: timestampSchema.nullable().optional(),
  /** The clock hour (UTC, "2026-12-01T21") whose cap this email counts against, once counted. */
  hour: z.string().nullable().optional(),
});

/**
 * `workspaces/{ws}/emailHours/{hour}` (hour "2026-12-01T21", UTC): the hourly email cap of a
 * workspace. Event emails claimed in that hour are counted in `sent`; those over the cap are counted
 * in `capped` (per kind in `cappedKinds`) and told in ONE summary email after the hour ends, whose
 * delivery (`summary`) retries like an event's. Functions only.
 */
export const emailHourSchema = z.object({
  hour: z.string(),
  endsAt: timestampSchema,
  sent: z.number().int().min(0),
  capped: z.number().int().min(0),
  cappedKinds: z.partialRecord(eventKindSchema, z.number().int().min(0)),
  /** Null while nothing was capped. */
  summary: eventEmailSchema.nullable(),
  /** When retention deletes it (the TTL field): endsAt plus the workspace's retentionDays. Absent on older documents. */
  expireAt: timestampSchema.optional(),
});
export type EmailHour = z.infer<typeof emailHourSchema>;

/**
 * `workspaces/{ws}/digests/{runId}`: what one daily digest run sent, to whom, for which window.
 * A member's window starts where their last successful digest ended (the workspace's
 * `digestProgress[uid]`, else `lastDigestAt`), so a failed send is sent, longer, by the next run and
 * nothing is sent twice. Functions only.
 */
export const digestRunSchema = z.object({
  startedAt: timestampSchema,
  periodEnd: timestampSchema,
  state: z.enum(['sent', 'partial', 'failed', 'nothing']),
  recipients: z.array(
    z.object({
      uid: z.string(),
      email: z.string(),
      periodStart: timestampSchema,
      events: z.number().int().min(0),
      state: z.enum(['sent', 'failed', 'empty']),
      error: z.string().nullable(),
    }),
  ),
  /** Subscribers left out because their address is not verified. */
  unverified: z.number().int().min(0),
  /** When retention deletes it (the TTL field): periodEnd plus the workspace's retentionDays. Absent on older documents. */
  expireAt: timestampSchema.optional(),
});
export type DigestRun = z.infer<typeof digestRunSchema>;

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
  /** When it happened (ISO 8601): the report's (clamped) collection time; for agent_online when the agent was heard again (receipt time); for agent_offline when it became overdue. Absent on events stored before it existed. */
  occurredAt: z.string().optional(),
  details: eventDetailsSchema,
  acknowledgedAt: timestampSchema.nullable(),
  acknowledgedBy: z.string().nullable(),
  email: eventEmailSchema,
  /** When retention deletes it (the TTL field): createdAt plus the workspace's retentionDays. Absent on events stored before it existed. */
  expireAt: timestampSchema.optional(),
  /**
   * The agent's labels when it happened, as `key=value` pairs (labels.ts labelPairs), for the events
   * page's `array-contains` filter; a later relabel does not rewrite them. Absent on events stored before it existed.
   */
  labelPairs: labelPairsSchema.optional(),
});
export type VigilEvent = z.infer<typeof eventSchema>;
