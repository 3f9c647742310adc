// The benchmark's floor: a callable that does nothing but write one document. bench/ingest.mjs
// compares ingestReport's latency with it. Exported only under the emulator, never deployed.
import { FieldValue } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../shared/admin.js';

export async function floorWrite(request: CallableRequest<unknown>): Promise<{ ok: true }> {
  await firestore().collection('benchFloor').add({ size: JSON.stringify(request.data ?? null).length, at: FieldValue.serverTimestamp() });
  return { ok: true };
}
