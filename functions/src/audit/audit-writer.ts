// Writes audit entries beside the change they record: in the same transaction or batch, so an entry
// exists exactly when its change committed. Callables use these; triggers use auditOnce.
import { paths } from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentReference, type Transaction, type WriteBatch } from 'firebase-admin/firestore';
import { firestore } from '../firebase/admin.js';
import { auditFields, type AuditInput } from './audit-entry.js';

function entryData(input: AuditInput, nowMs: number) {
  const { expireAt, ...fields } = auditFields(input, nowMs);
  return { ...fields, at: FieldValue.serverTimestamp(), expireAt: Timestamp.fromDate(expireAt) };
}

function newEntryRef(workspaceId: string): DocumentReference {
  return firestore().collection(paths.audit(workspaceId)).doc();
}

/** Adds the entry to `tx` (after its reads); it commits with the change or not at all. */
export function auditInTransaction(tx: Transaction, workspaceId: string, input: AuditInput, nowMs = Date.now()): void {
  tx.create(newEntryRef(workspaceId), entryData(input, nowMs));
}

/** Adds the entry to `batch`. */
export function auditBatch(batch: WriteBatch, workspaceId: string, input: AuditInput, nowMs = Date.now()): void {
  batch.create(newEntryRef(workspaceId), entryData(input, nowMs));
}

/**
 * For triggers, which may be delivered twice: the entry's id is the event's, so a redelivery finds
 * it written and adds nothing.
 */
export async function auditOnce(workspaceId: string, entryId: string, input: AuditInput, nowMs = Date.now()): Promise<void> {
  try {
    await firestore().doc(paths.auditEntry(workspaceId, entryId)).create(entryData(input, nowMs));
  } catch (error) {
    // ALREADY_EXISTS: this event was audited by an earlier delivery.
    if ((error as { code?: unknown }).code === 6) return;
    throw error;
  }
}
