// The protocol between agent and ingest: one report per tick, and the reply.
import { z } from 'zod';
import { documentIdSchema, fieldKeySchema, isoDateTimeSchema, slugSchema } from './common.js';
import { firestoreValueBytes } from './firestore-size.js';
import { LIMITS } from './limits.js';
import { MAX_TICKET_CHARS } from './constants/protocol.js';

/** UTF-8 bytes of a JSON text, without Buffer (schema/ also runs in the browser). */
function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}

/**
 * The size of a report against `LIMITS.reportBytes`: the larger of its JSON (what is sent) and
 * its size as Firestore stores it (numbers take 8 bytes there, 2 in JSON), so a report of number
 * lists that is small on the wire cannot outgrow Firestore's 1 MiB document limit. The agent fits
 * its reports by this measure and the schema refuses what exceeds it.
 */
export function reportSizeBytes(report: unknown): number {
  return Math.max(jsonBytes(report), firestoreValueBytes(report));
}

export const TEST_TYPES = ['requirement', 'presence', 'operational', 'security', 'integration'] as const;
export const testTypeSchema = z.enum(TEST_TYPES);

export const testResultSchema = z.object({
  id: slugSchema,
  type: testTypeSchema,
  passed: z.boolean(),
  message: z.string().max(LIMITS.messageText),
  durationMs: z.number().int().min(0).max(3_600_000),
});

const scalarSchema = z.union([z.string().max(LIMITS.valueText), z.number().finite(), z.boolean(), z.null()]);
/** A configuration value: what an administrator chose. Lists are for things like enabled jails. */
export const configurationValueSchema = z.union([scalarSchema, z.array(scalarSchema).max(LIMITS.listItems)]);

function boundedRecord<V extends z.ZodType>(value: V, maxEntries: number) {
  return z.record(fieldKeySchema, value).refine((record) => Object.keys(record).length <= maxEntries, `must have at most ${maxEntries} entries`);
}

export const solutionErrorSchema = z.object({
  code: slugSchema.optional(),
  message: z.string().max(LIMITS.messageText),
});

export const DETECTION_SOURCES = ['package', 'binary', 'unit', 'config'] as const;

export const solutionReportSchema = z.object({
  id: slugSchema,
  version: z.string().max(LIMITS.shortText).nullable(),
  detectedBy: z.array(z.enum(DETECTION_SOURCES)).max(DETECTION_SOURCES.length).default([]),
  configuration: boundedRecord(configurationValueSchema, LIMITS.configurationEntries),
  metrics: boundedRecord(z.number().finite(), LIMITS.metricsEntries),
  tests: z.array(testResultSchema).max(LIMITS.testsPerSolution),
  errors: z.array(solutionErrorSchema).max(LIMITS.errorsPerSolution).default([]),
});

export const hostFactsSchema = z.object({
  hostname: z.string().max(253).optional(),
  os: z.string().max(LIMITS.shortText).optional(),
  kernel: z.string().max(LIMITS.shortText).optional(),
  arch: z.string().max(32).optional(),
});

export const HOST_DETAILS = ['hostname', 'os', 'kernel', 'arch'] as const;
export const hostDetailSchema = z.enum(HOST_DETAILS);

export const PLUGIN_RUN_STATUSES = ['found', 'absent', 'failed', 'timed-out'] as const;

export const AGENT_CRASH_KINDS = ['uncaughtException', 'unhandledRejection'] as const;

/** An uncaught error that ended the agent's process, written to disk and sent with a later report. */
export const agentCrashSchema = z.object({
  at: isoDateTimeSchema,
  kind: z.enum(AGENT_CRASH_KINDS),
  message: z.string().max(LIMITS.messageText),
  stack: z.string().max(LIMITS.crashStackText),
  /** The agent version that crashed (may differ from the one reporting it, after an upgrade). */
  version: z.string().max(64),
});

/**
 * The agent's own health, measured while it built this report. Only facts about the agent
 * process: nothing about the host or the solutions (those are in `host` and `solutions`).
 */
export const agentHealthSchema = z.object({
  version: z.string().max(64),
  /** Seconds the agent process has been running. */
  uptimeSeconds: z.number().int().min(0),
  /** Time each plugin took for detection and inspection in this collection; skipped plugins are not listed. */
  plugins: z
    .array(
      z.object({
        id: slugSchema,
        status: z.enum(PLUGIN_RUN_STATUSES),
        durationMs: z.number().int().min(0).max(86_400_000),
      }),
    )
    .max(LIMITS.healthPlugins),
  /** Plugins that threw or passed their deadline in this collection. */
  pluginErrors: z.number().int().min(0),
  /** The delivery spool when the report was built; absent when unknown (`collect`). */
  spool: z
    .object({
      reports: z.number().int().min(0),
      bytes: z.number().int().min(0),
      /** Reports dropped since the spool was created, because it was full. */
      dropped: z.number().int().min(0),
    })
    .optional(),
  /** Crashes not yet delivered in a report (at least 1 when `lastCrash` is set). */
  crashes: z.number().int().min(0).optional(),
  /** The newest of those crashes. */
  lastCrash: agentCrashSchema.optional(),
  /** Host details the agent's config keeps out of `host` (`hide_host_details`). */
  hiddenHostDetails: z.array(hostDetailSchema).max(HOST_DETAILS.length).optional(),
});

/**
 * Self-update (docs/agent.md, "Updates"). The agent's update policy comes from its config
 * (`auto_update`, `update_channel`); the outcome of its last attempt is what the dashboard shows
 * ("out of date", "update failed: …"). `updated`: the new version started and reported;
 * `failed`: the download, the check of its SHA-256 or the swap failed and nothing changed;
 * `rolled-back`: the new version failed to start or to report and the previous one runs again.
 */
export const AGENT_UPDATE_OUTCOMES = ['updated', 'failed', 'rolled-back'] as const;
export type AgentUpdateOutcome = (typeof AGENT_UPDATE_OUTCOMES)[number];
/** `stable`: follow the version ingest names; a version (e.g. `1.4.0`): stay on it (update only to it). */
export const AGENT_UPDATE_STABLE_CHANNEL = 'stable';
export const agentUpdateAttemptSchema = z.object({
  outcome: z.enum(AGENT_UPDATE_OUTCOMES),
  from: z.string().max(64),
  to: z.string().max(64),
  at: isoDateTimeSchema,
  /** Why it failed or was rolled back, in a sentence (absent for `updated`). */
  reason: z.string().max(LIMITS.messageText).optional(),
});
export type AgentUpdateAttempt = z.infer<typeof agentUpdateAttemptSchema>;
export const agentUpdateStatusSchema = z.object({
  /** config `auto_update`. */
  auto: z.boolean(),
  /** config `update_channel`: `stable` or a pinned version. */
  channel: z.string().max(64),
  last: agentUpdateAttemptSchema.optional(),
});
export type AgentUpdateStatus = z.infer<typeof agentUpdateStatusSchema>;

/** A version string as the agent's build carries it (agent/package.json's `version`). */
export const agentVersionSchema = z.string().regex(/^[0-9A-Za-z.+-]{1,64}$/, 'must be a version like 1.4.0');

/** What the ingest reply offers: the agent version the dashboard serves, its SHA-256 and where to download it. */
export const agentUpdateOfferSchema = z.object({
  version: agentVersionSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The bundle on the dashboard (https, or http to localhost). Agents behind a relay fetch it through the relay (RELAY_BUNDLE_PATH). */
  url: z.string().max(2048),
});
export type AgentUpdateOffer = z.infer<typeof agentUpdateOfferSchema>;

export const reportSchema = z
  .object({
    reportId: documentIdSchema,
    agentVersion: z.string().max(64),
    host: hostFactsSchema,
    collectedAt: isoDateTimeSchema,
    solutions: z.array(solutionReportSchema).max(LIMITS.solutionsPerReport),
    /** The agent's delivery backlog when it built this report: reports waiting and reports dropped. */
    delivery: z
      .object({
        spooled: z.number().int().min(0),
        dropped: z.number().int().min(0),
      })
      .optional(),
    agentHealth: agentHealthSchema.optional(),
    /**
     * True when the agent sends this report from its spool after a newer one was already delivered
     * (it drains newest first after an outage): history only, it never moves the agent's current
     * state, facts or alerts. Lying can only hide the sender's own report.
     */
    backfill: z.boolean().optional(),
    /** The agent's update policy and its last update attempt (absent from agents older than self-update). */
    update: agentUpdateStatusSchema.optional(),
  })
  .superRefine((report, ctx) => {
    const bytes = firestoreValueBytes(report);
    if (bytes > LIMITS.reportBytes) {
      ctx.addIssue({ code: 'custom', path: [], message: `report is ${bytes} bytes as stored; the limit is ${LIMITS.reportBytes}` });
    }
    const seen = new Set<string>();
    report.solutions.forEach((solution, index) => {
      if (seen.has(solution.id)) {
        ctx.addIssue({ code: 'custom', path: ['solutions', index, 'id'], message: `duplicate solution "${solution.id}"` });
      }
      seen.add(solution.id);
      const testIds = new Set<string>();
      solution.tests.forEach((test, testIndex) => {
        if (testIds.has(test.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['solutions', index, 'tests', testIndex, 'id'],
            message: `duplicate test "${test.id}"`,
          });
        }
        testIds.add(test.id);
      });
    });
  });

export type TestType = z.infer<typeof testTypeSchema>;
export type TestResult = z.infer<typeof testResultSchema>;
export type ConfigurationValue = z.infer<typeof configurationValueSchema>;
export type SolutionReport = z.infer<typeof solutionReportSchema>;
export type HostFacts = z.infer<typeof hostFactsSchema>;
export type HostDetail = z.infer<typeof hostDetailSchema>;
export type AgentCrash = z.infer<typeof agentCrashSchema>;
export type AgentCrashKind = (typeof AGENT_CRASH_KINDS)[number];
export type AgentHealth = z.infer<typeof agentHealthSchema>;
export type Report = z.infer<typeof reportSchema>;
/** What the agent builds before defaults are applied. */
export type ReportInput = z.input<typeof reportSchema>;

export const ingestReplySchema = z.object({
  accepted: z.literal(true),
  /** True when this reportId was already stored: the agent may drop it from its spool. */
  duplicate: z.boolean(),
  reportId: documentIdSchema,
  /** The reporting interval the workspace wants from this agent. */
  intervalSeconds: z.number().int().positive(),
  /** Opaque: sent back with the agent's next report in AGENT_TICKET_HEADER (protocol.ts); absent when ingest issues none. */
  ticket: z.string().max(MAX_TICKET_CHARS).optional(),
  /** The workspace asked for a new key: fetch it with fetchAgentKey and send the next report with it. */
  rotateKey: z.literal(true).optional(),
  /** The agent version the dashboard serves, when it differs from the one that reported: the agent decides by its update policy. */
  update: agentUpdateOfferSchema.optional(),
  /**
   * Seconds from this reply to the agent's report slot (functions/src/ingest/report-phase.ts): the
   * agent starts its next tick so that its report arrives then, counting on its own clock from when
   * the reply arrived. Absent from older ingests: the agent keeps its interval from the tick's start.
   */
  nextReportInSeconds: z.number().finite().nonnegative().optional(),
});
export type IngestReply = z.infer<typeof ingestReplySchema>;
