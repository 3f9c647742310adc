// What the database holds, by collection (ids dropped: workspaces/agents/reports): how many
// documents (a count() per collection group) and, from a sample of each, their stored size as
// Firestore bills it (firestore-storage.mjs). The collection ids are found by walking the tree
// from the root through a few documents of each collection, so a new collection is found too.
import { collectionPath } from './firestore-billing.mjs';
import { indexRules, storedSize } from './firestore-storage.mjs';

const WALK_DOCUMENTS = 3;

async function collectionIds(db) {
  const ids = new Set();
  const walk = async (collections) => {
    for (const collection of collections) {
      ids.add(collection.id);
      const page = await collection.limit(WALK_DOCUMENTS).get();
      for (const doc of page.docs) await walk(await doc.ref.listCollections());
    }
  };
  await walk(await db.listCollections());
  return [...ids].sort();
}

/** collection path -> { count, sampled, documentBytes, indexBytes, indexEntries } (sums over the sample). */
export async function storedDocuments(db, { sample = 300, indexesJson = {} } = {}) {
  const out = {};
  for (const id of await collectionIds(db)) {
    const count = (await db.collectionGroup(id).count().get()).data().count;
    const rules = indexRules(indexesJson, id);
    const docs = sample > 0 ? (await db.collectionGroup(id).limit(sample).get()).docs : [];
    const byPath = new Map();
    for (const doc of docs) {
      const key = collectionPath(`/documents/${doc.ref.path}`);
      const size = storedSize(doc.ref.path, doc.data(), rules);
      const row = byPath.get(key) ?? { sampled: 0, documentBytes: 0, indexBytes: 0, indexEntries: 0 };
      row.sampled += 1;
      row.documentBytes += size.documentBytes;
      row.indexBytes += size.indexBytes;
      row.indexEntries += size.indexEntries;
      byPath.set(key, row);
    }
    // One collection id under one parent kind is the rule here; the count goes to the sampled path.
    const [key, row] = [...byPath].sort((a, b) => b[1].sampled - a[1].sampled)[0] ?? [
      id,
      { sampled: 0, documentBytes: 0, indexBytes: 0, indexEntries: 0 },
    ];
    out[key] = { count, ...row, collectionGroup: id };
  }
  return out;
}
