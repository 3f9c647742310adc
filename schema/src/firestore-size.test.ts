import { describe, expect, it } from 'vitest';
import { firestoreDocumentBytes, firestoreNameBytes, firestoreValueBytes } from './firestore-size.js';

describe('Firestore document size', () => {
  it('counts the storage-size page’s example task as 147 bytes', () => {
    expect(firestoreNameBytes('users/jeff/tasks/my_task_id')).toBe(44);
    const task = { type: 'Personal', done: false, priority: 1, description: 'Learn Cloud Firestore' };
    expect(firestoreDocumentBytes('users/jeff/tasks/my_task_id', task)).toBe(147);
  });

  it('counts UTF-8 bytes, 8 per number and timestamp, and nested arrays and maps by their parts', () => {
    for (const text of ['é', '€', '😀', 'a😀é']) expect(firestoreValueBytes(text)).toBe(Buffer.byteLength(text, 'utf8') + 1);
    expect(firestoreValueBytes(0)).toBe(8);
    expect(firestoreValueBytes(new Date())).toBe(8);
    expect(
      firestoreValueBytes(
        new (class Timestamp {
          toMillis = () => 0;
        })(),
      ),
    ).toBe(8);
    expect(firestoreValueBytes([true, null, 'ab'])).toBe(1 + 1 + 3);
    expect(firestoreValueBytes({ a: { b: [1, 2] } })).toBe(2 + 2 + 16);
  });
});
