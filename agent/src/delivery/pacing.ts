// How fast one agent's reports may go out. Every report the ingest accepts writes that agent's one
// Firestore document (its status, ingest budget, counts and metrics live there), and Firestore
// sustains about one write per second to any one document: faster, the writes contend (the ingest's
// update is conditional on the document's update time, so contention turns into retries and errors).
// A spool drained after an outage would otherwise post as fast as the ingest answers, so the agent
// spaces its sends. The ingest's rate limit (its token bucket) still decides how many get through;
// this only keeps a burst from arriving all at once. The relay spaces each key's sends on its own
// (uplink.ts): the agents behind it write different documents, so it is never paced as a whole.

/** The least time between the starts of two sends that write the same agent document. */
export const SEND_SPACING_MS = 1_000;

/**
 * How long to wait before the next send, given when the previous one started (undefined: none yet).
 * Never more than one spacing: a wall clock set back must not hold delivery up for the time it jumped.
 */
export function paceDelayMs(lastSendAtMs: number | undefined, nowMs: number): number {
  if (lastSendAtMs === undefined) return 0;
  return Math.min(SEND_SPACING_MS, Math.max(0, lastSendAtMs + SEND_SPACING_MS - nowMs));
}
