// Deletes documents through one BulkWriter and says how many failed (the BulkWriter retries
// transient errors itself first). Its own promises are awaited, not `void`ed, so a failed delete is
// reported instead of lost.
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';

export interface DeletedDocuments {
  deleted: number;
  failed: number;
  /** The first failure's code and message (never a document path or value). */
  firstError?: string;
}

export async function deleteDocuments(db: Firestore, refs: DocumentReference[]): Promise<DeletedDocuments> {
  const writer = db.bulkWriter();
  // Settled as they go, so no rejection is ever unhandled while close() waits for the rest.
  const settled = Promise.allSettled(refs.map((ref) => writer.delete(ref)));
  await writer.close();
  const results = await settled;
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  const first = failures[0];
  return {
    deleted: results.length - failures.length,
    failed: failures.length,
    ...(first === undefined ? {} : { firstError: errorText(first) }),
  };
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${code === undefined ? '' : String(code)} ${error.message}`.trim();
}
