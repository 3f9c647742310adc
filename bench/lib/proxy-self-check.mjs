// The counting proxy checked on a known answer before a run: a known sequence of operations by the
// benchmark's own Admin SDK, through the proxy's setup port, must be counted exactly as Firestore
// bills it. Leaves nothing behind (the documents it writes are deleted).
import { FieldValue } from 'firebase-admin/firestore';
import { countsBetween } from './firestore-proxy.mjs';

const COLLECTION = 'benchFleetSelfCheck';
const N = 25;

export async function proxySelfCheck(db, proxy, label = 'bench setup') {
  const lines = [];
  let ok = true;
  const step = async (name, expected, action) => {
    const before = proxy.snapshot();
    await action();
    const got = countsBetween(before, proxy.snapshot())[label] ?? { reads: 0, writes: 0, deletes: 0 };
    const same = got.reads === expected.reads && got.writes === expected.writes && got.deletes === expected.deletes;
    if (!same) ok = false;
    lines.push(
      `${name} ${same ? 'ok' : `counted r${got.reads}/w${got.writes}/d${got.deletes}, expected r${expected.reads}/w${expected.writes}/d${expected.deletes}`}`,
    );
  };
  const refs = Array.from({ length: N }, (_, index) => db.collection(COLLECTION).doc(`doc${index}`));
  await step(`${N} writes in a batch`, { reads: 0, writes: N, deletes: 0 }, async () => {
    const batch = db.batch();
    refs.forEach((ref, index) => batch.set(ref, { index, payload: 'x'.repeat(1000) }));
    await batch.commit();
  });
  await step('a transform-only update', { reads: 0, writes: 1, deletes: 0 }, () => refs[0].update({ touched: FieldValue.serverTimestamp() }));
  await step(`getAll of ${N} + 1 missing`, { reads: N + 1, writes: 0, deletes: 0 }, () =>
    db.getAll(...refs, db.collection(COLLECTION).doc('missing')),
  );
  await step('a query of all', { reads: N, writes: 0, deletes: 0 }, () => db.collection(COLLECTION).get());
  await step('an empty query', { reads: 1, writes: 0, deletes: 0 }, () => db.collection(COLLECTION).where('index', '<', 0).get());
  await step('a count()', { reads: 1, writes: 0, deletes: 0 }, () => db.collection(COLLECTION).count().get());
  await step('a transaction: read 1, write 1', { reads: 1, writes: 1, deletes: 0 }, () =>
    db.runTransaction(async (transaction) => {
      const snapshot = await transaction.get(refs[1]);
      transaction.update(refs[1], { index: snapshot.get('index') + 100 });
    }),
  );
  await step(`${N} deletes through a BulkWriter`, { reads: 0, writes: 0, deletes: N }, async () => {
    const writer = db.bulkWriter();
    for (const ref of refs) void writer.delete(ref);
    await writer.close();
  });
  return { ok, lines };
}
