// What ingest decides about a report's time, from the one clock the agent cannot set: its own.
// Pure, so the clamp and the order are unit-tested.
//   - collectedAt more than LIMITS.clockSkewSeconds ahead of the receipt time is clamped to the
//     receipt time (the agent's value is kept as sentCollectedAt): a clock in 2099 cannot make
//     every later report look older, nor date events in the future. The past is never clamped: a
//     spooled report is legitimately old.
//   - the skew (agent clock minus receipt time) is measured on every report; ingest stores it for
//     live reports only (a backfill report was collected long before it was sent).
//   - the order of reports is receipt order: ingest stamps each accepted report with the agent's
//     next receipt sequence, and the agent update that stores it is conditional on the agent
//     document being unchanged, so the sequence is strictly increasing per agent, whatever clocks
//     or instances are involved.
import { LIMITS } from '@vigil/schema';

export interface ReceivedTime {
  /** The collection time to store: the agent's, or the receipt time when the agent's is too far ahead. */
  collectedAt: string;
  /** What the agent sent, present only when it was clamped. */
  sentCollectedAt?: string;
  /** The agent's clock minus the receipt time, whole seconds (positive: the agent is ahead). */
  clockSkewSeconds: number;
}

export function receiveCollectedAt(sentCollectedAt: string, receivedAtMs: number, maxSkewSeconds: number = LIMITS.clockSkewSeconds): ReceivedTime {
  const sentMs = Date.parse(sentCollectedAt);
  const clockSkewSeconds = Math.round((sentMs - receivedAtMs) / 1000);
  if (sentMs - receivedAtMs <= maxSkewSeconds * 1000) return { collectedAt: sentCollectedAt, clockSkewSeconds };
  return { collectedAt: new Date(receivedAtMs).toISOString(), sentCollectedAt, clockSkewSeconds };
}

/** The receipt sequence of the agent's next report: one more than the stored one (0 when none or not a count). */
export function nextReceiptSequence(stored: unknown): number {
  const valid = typeof stored === 'number' && Number.isSafeInteger(stored) && stored >= 0 && stored < Number.MAX_SAFE_INTEGER;
  return (valid ? stored : 0) + 1;
}
