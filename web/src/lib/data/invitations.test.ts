import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface StoredIndex {
  collectionGroup: string;
  queryScope: string;
  fields: { fieldPath: string; order?: string }[];
}

describe("the Members page's pending invitations", () => {
  // The emulator enforces no composite index, so this test checks that the deployed file has the one
  // fetchInvitations' pending query needs (state ==, ordered by createdAt desc).
  it('have a composite index for state ==, createdAt desc in firestore.indexes.json', () => {
    const file = JSON.parse(readFileSync(new URL('../../../../firestore.indexes.json', import.meta.url), 'utf8')) as { indexes: StoredIndex[] };
    const index = file.indexes.find((candidate) => candidate.collectionGroup === 'invitations' && candidate.queryScope === 'COLLECTION');
    expect(index?.fields).toEqual([
      { fieldPath: 'state', order: 'ASCENDING' },
      { fieldPath: 'createdAt', order: 'DESCENDING' },
    ]);
  });
});
