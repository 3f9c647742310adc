// The benchmark's floor: a callable that does nothing but store what it was sent as one document,
// the least any ingest must do. bench/ingest.mjs compares ingestReport's latency with it.
// Exported only under the emulator, never deployed.
import { FieldValue } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';

export async function floorWrite(request: CallableRequest<unknown>): Promise<{ ok: true }> {
  await firestore()
    .collection('benchFloor')
    .add({ data: request.data ?? null, at: FieldValue.serverTimestamp() });
  return { ok: true };
}
