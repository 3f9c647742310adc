// Why a trigger failed, and whether trying again could help. The report trigger is deployed with
// retries (index.ts), so a transient failure (contention, Firestore unavailable, a deadline) is
// thrown and the platform delivers the event again; a deterministic one (a bug, or data that can
// never be written: an event id taken, a document too large, a TypeError) would fail the same way
// for up to 7 days of retries, so it is recorded on the report instead and the trigger returns.
import { scrubbedAndCut } from '@vigil/schema';

/** A failure our own code knows to be permanent for this input. */
export class DeterministicFailure extends Error {
  override name = 'DeterministicFailure';
}

// gRPC status codes (and HTTP 409 from the REST transport) that say "not now": the ones the
// Firestore SDK itself retries a transaction on, and PERMISSION_DENIED (an IAM setting the operator
// fixes: the report is not at fault).
const TRANSIENT_CODES = new Set<unknown>([1, 2, 4, 7, 8, 10, 13, 14, 16, 409]);

export type FailureKind = 'transient' | 'deterministic';

export function classifyTriggerError(error: unknown): FailureKind {
  if (error instanceof DeterministicFailure) return 'deterministic';
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'number') return TRANSIENT_CODES.has(code) ? 'transient' : 'deterministic';
  // Node's own network errors (ECONNRESET, ETIMEDOUT, EAI_AGAIN…) before a status was known.
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return 'transient';
  // Anything else thrown while processing a report is a bug or bad data (TypeError, RangeError,
  // the SDK refusing a value): the same report would fail again.
  return 'deterministic';
}

/** Text recorded on the report: the error's type and message, scrubbed of secrets, short. */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return scrubbedAndCut(text, 500);
}
