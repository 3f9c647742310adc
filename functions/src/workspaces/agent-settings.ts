// Which workspace settings every agent document carries a copy of (so ingest and the report
// trigger never read the workspace), and what changed. Pure.
export interface AgentCopiedSettings {
  intervalSeconds?: number;
  failedTestThreshold?: number;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
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
  return Object.keys(change).length > 0 ? change : undefined;
}
