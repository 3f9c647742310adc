// Per-agent token bucket, stored on the agent document (so it costs no extra read). An agent may
// burst (draining its spool after an outage) but cannot sustain more than REFILLS_PER_INTERVAL
// reports per reporting interval, nor more than one report per second whatever its interval:
// every report is a write to its agent document, and Firestore sustains about one write per
// second to one document. Pure: the caller supplies the clock.
export interface IngestBudget {
  tokens: number;
  updatedAtMs: number;
}

export const BURST_CAPACITY = 30;
export const REFILLS_PER_INTERVAL = 4;
/** A token comes back no sooner than this, so the sustained rate stays at or under 1 report per second. */
export const MIN_MS_PER_TOKEN = 1000;

export type BudgetDecision = { allowed: true; budget: IngestBudget } | { allowed: false; retryAfterSeconds: number };

function isBudget(value: unknown): value is IngestBudget {
  const budget = value as IngestBudget | null;
  return typeof budget?.tokens === 'number' && typeof budget?.updatedAtMs === 'number';
}

export function takeIngestToken(previous: unknown, nowMs: number, intervalSeconds: number): BudgetDecision {
  const msPerToken = Math.max(MIN_MS_PER_TOKEN, (intervalSeconds * 1000) / REFILLS_PER_INTERVAL);
  const start = isBudget(previous) ? previous : { tokens: BURST_CAPACITY, updatedAtMs: nowMs };
  // A clock that went backwards refills nothing rather than draining the bucket.
  const elapsed = Math.max(0, nowMs - start.updatedAtMs);
  const tokens = Math.min(BURST_CAPACITY, start.tokens + elapsed / msPerToken);
  if (tokens < 1) {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * msPerToken) / 1000)) };
  }
  return { allowed: true, budget: { tokens: tokens - 1, updatedAtMs: nowMs } };
}
