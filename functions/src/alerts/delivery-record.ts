// The stored side of a delivery (an event's `email`, an hour's `summary`): reading its fields for
// email-delivery.ts, the writes of a claim and of an outcome, and settling an outcome only while the
// claim is still ours (a run that outlived its lease must not overwrite the run that reclaimed it).
import { EMAIL_DELIVERY, type EmailReason, type EmailState } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { DeliveryFields } from './email-delivery.js';

export type DeliveryPrefix = 'email' | 'summary';

function millis(value: unknown): number | null {
  return value instanceof Timestamp ? value.toMillis() : null;
}

export function deliveryFields(snapshot: DocumentSnapshot, prefix: DeliveryPrefix): DeliveryFields | undefined {
  const stored: unknown = snapshot.get(prefix);
  if (typeof stored !== 'object' || stored === null) return undefined;
  const record = stored as Record<string, unknown>;
  if (typeof record.state !== 'string') return undefined;
  return {
    state: record.state as EmailState,
    attempts: typeof record.attempts === 'number' ? record.attempts : 0,
    leaseUntilMs: millis(record.leaseUntil),
    nextAttemptAtMs: millis(record.nextAttemptAt),
  };
}

/** A claim: this run may send until the lease ends. */
export function claimWrite(prefix: DeliveryPrefix, attempts: number, nowMs: number, extra: Record<string, unknown> = {}) {
  const write: Record<string, unknown> = {
    [`${prefix}.state`]: 'sending',
    [`${prefix}.attempts`]: attempts,
    [`${prefix}.leaseUntil`]: Timestamp.fromMillis(nowMs + EMAIL_DELIVERY.leaseSeconds * 1000),
    [`${prefix}.nextAttemptAt`]: null,
  };
  for (const [field, value] of Object.entries(extra)) write[`${prefix}.${field}`] = value;
  return write;
}

export interface Outcome {
  state: Exclude<EmailState, 'pending' | 'sending'>;
  reason?: EmailReason | null;
  error?: string | null;
  nextAttemptAtMs?: number | null;
  /** Further fields of the record (recipients, unverified, hour). */
  extra?: Record<string, unknown>;
}

export function outcomeWrite(prefix: DeliveryPrefix, outcome: Outcome) {
  const write: Record<string, unknown> = {
    [`${prefix}.state`]: outcome.state,
    [`${prefix}.at`]: FieldValue.serverTimestamp(),
    [`${prefix}.reason`]: outcome.reason ?? null,
    [`${prefix}.error`]: outcome.error ?? null,
    [`${prefix}.leaseUntil`]: null,
    [`${prefix}.nextAttemptAt`]: outcome.nextAttemptAtMs == null ? null : Timestamp.fromMillis(outcome.nextAttemptAtMs),
  };
  for (const [field, value] of Object.entries(outcome.extra ?? {})) write[`${prefix}.${field}`] = value;
  return write;
}

/** Records the outcome of attempt `attempts` if the claim is still that attempt's; false otherwise. */
export async function settle(db: Firestore, ref: DocumentReference, prefix: DeliveryPrefix, attempts: number, outcome: Outcome): Promise<boolean> {
  const settled = await db.runTransaction(async (tx) => {
    const current = await tx.get(ref);
    const fields = current.exists ? deliveryFields(current, prefix) : undefined;
    if (fields?.state !== 'sending' || fields.attempts !== attempts) return false;
    tx.update(ref, outcomeWrite(prefix, outcome));
    return true;
  });
  if (!settled) logger.warn('email outcome not recorded: the claim expired and was taken over', { path: ref.path, attempts, state: outcome.state });
  return settled;
}
