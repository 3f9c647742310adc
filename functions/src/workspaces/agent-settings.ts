// Which workspace settings every agent document carries a copy of (so ingest, the report trigger
// and the offline detector never read the workspace: the interval, the threshold, the retention and
// automatic key rotation's days), what changed, and what a raised reporting
// interval does to an online agent's silence deadline. Pure.
import { keyRotationDaysSchema } from '@vigil/schema';
import { silenceDeadlineMs } from '../alerts/silence.js';

export interface AgentCopiedSettings {
  intervalSeconds?: number;
  failedTestThreshold?: number;
  /** The expiry (TTL) ingest, the trigger and the detector stamp on what they write. */
  retentionDays?: number;
  /** Automatic key rotation (agents/key-rotation.ts): null turns it off on the agent. */
  keyRotationDays?: number | null;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** settings.keyRotationDays as agents carry it: a valid number of days, else null (off). */
export function keyRotationDaysSetting(value: unknown): number | null {
  const parsed = keyRotationDaysSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The fields to write on every agent, or undefined when the copied settings did not change. */
export function copiedSettingsChange(before: unknown, after: unknown): AgentCopiedSettings | undefined {
  const old = (before ?? {}) as Record<string, unknown>;
  const next = (after ?? {}) as Record<string, unknown>;
  const change: AgentCopiedSettings = {};
  const interval = positiveInt(next.reportingIntervalSeconds);
  if (interval !== undefined && interval !== old.reportingIntervalSeconds) change.intervalSeconds = interval;
  const threshold = positiveInt(next.failedTestThreshold);
  if (threshold !== undefined && threshold !== old.failedTestThreshold) change.failedTestThreshold = threshold;
  const retention = positiveInt(next.retentionDays);
  if (retention !== undefined && retention !== old.retentionDays) change.retentionDays = retention;
  // Unlike the others, absent means something (off), so turning it off is copied too.
  const rotationDays = keyRotationDaysSetting(next.keyRotationDays);
  if (rotationDays !== keyRotationDaysSetting(old.keyRotationDays)) change.keyRotationDays = rotationDays;
  return Object.keys(change).length > 0 ? change : undefined;
}

/**
 * What one write of a workspace copies to its agents. Its creation copies nothing: each agent is
 * made in a transaction that read the workspace and copied its settings then (agents/new-agent.ts),
 * and the creation event is delivered whenever the trigger queue reaches it, often after the first
 * agents were made and have reported; a copy then restarted their unchangedReports (a failure
 * streak's count) and could move their silence deadlines, for settings they already carried.
 */
export function settingsToCopy(write: { created: boolean; before: unknown; after: unknown }): AgentCopiedSettings | undefined {
  return write.created ? undefined : copiedSettingsChange(write.before, write.after);
}

/**
 * What an agent's write adds for a changed failed-test threshold: its count of unchanged reports
 * starts again, so ingest stores the next failing reports as streak steps (store-decision.ts) until
 * the new threshold is reached. Without it, lowering the threshold below a streak already counted
 * would store nothing more until the daily checkpoint, and the alert would wait a day.
 */
export function thresholdChangeWrite(change: AgentCopiedSettings): { unchangedReports?: 0 } {
  return change.failedTestThreshold === undefined ? {} : { unchangedReports: 0 };
}

/** What onWorkspaceWritten reads of an agent to move its silence deadline. */
export interface DeadlineFacts {
  status: unknown;
  revoked: boolean;
  lastSeenAtMs: number | null;
  /** The stored deadline (offlineAt), null when none. */
  offlineAtMs: number | null;
  announcedIntervalSeconds: unknown;
}

/**
 * The later silence deadline (ms) an online agent gets when the workspace's interval becomes
 * `intervalSeconds`, or undefined when it keeps its own: a raise must wait for the larger interval
 * (silence.ts judges by the larger of the announced and the current one), so the deadline moves
 * out; a lower interval never pulls it in (the agent still waits the interval it was told). Agents
 * that are not online, are revoked or have no deadline have nothing to move.
 */
export function pushedDeadlineMs(agent: DeadlineFacts, intervalSeconds: number): number | undefined {
  if (agent.status !== 'online' || agent.revoked || agent.lastSeenAtMs === null || agent.offlineAtMs === null) return undefined;
  const deadline = silenceDeadlineMs(agent.lastSeenAtMs, { intervalSeconds, announcedIntervalSeconds: agent.announcedIntervalSeconds });
  return deadline > agent.offlineAtMs ? deadline : undefined;
}
