// deleteDocuments against the emulator: what it deletes it counts, and a delete Firestore refuses is
// counted and named, not lost (deleteAgent fails its call on it). deleteAgent's own sweep cannot be
// made to fail for real: it deletes what its queries found, and no stored document has a refused id.
import { afterAll, describe, expect, it } from 'vitest';
import { adminDb } from '../../../tests/support/emulators.js';
import { deleteDocuments } from './delete-documents.js';

const scratch = adminDb().collection('testScratch');
afterAll(async () => {
  await adminDb().recursiveDelete(scratch.doc('delete-documents'));
});

describe('deleteDocuments', () => {
  it('deletes every document it is given and counts them', async () => {
    const refs = Array.from({ length: 25 }, (_, index) => scratch.doc(`delete-documents/docs/d${index}`));
    await Promise.all(refs.map((ref) => ref.set({ index: 1 })));
    expect(await deleteDocuments(adminDb(), refs)).toEqual({ deleted: 25, failed: 0 });
    expect((await scratch.doc('delete-documents').collection('docs').get()).size).toBe(0);
  });

  it('counts a delete Firestore refuses and names its fault instead of losing it', async () => {
    // Ids of the form __x__ are reserved: Firestore refuses any write to one (and the batch it came in).
    const refused = scratch.doc('delete-documents/docs/__reserved__');
    const result = await deleteDocuments(adminDb(), [refused]);
    expect(result).toMatchObject({ deleted: 0, failed: 1 });
    expect(result.firstError).toMatch(/\S/);
    expect(result.firstError).not.toContain('delete-documents/docs');
  });
});
