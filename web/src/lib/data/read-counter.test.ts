import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countAggregation, countDocumentRead, countQueryRead } from './read-counter';

describe('read counter', () => {
  beforeEach(() => {
    (globalThis as { window?: unknown }).window = {};
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('counts what Firestore bills: documents, empty queries, listener changes, aggregations', () => {
    countDocumentRead();
    countQueryRead(500);
    countQueryRead(0);
    countQueryRead(2, { firstSnapshot: false });
    countAggregation(180);
    countAggregation(2500);
    expect((globalThis as unknown as { window: Window }).window.__vigilReads).toEqual({
      reads: 1 + 500 + 1 + 2 + 1 + 3,
      documents: 503,
      queries: 2,
      aggregations: 2,
      listenerUpdates: 1,
    });
  });

  it('does nothing outside a browser', () => {
    delete (globalThis as { window?: unknown }).window;
    expect(() => countDocumentRead()).not.toThrow();
  });
});
