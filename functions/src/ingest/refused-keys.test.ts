import { describe, expect, it } from 'vitest';
import { RefusedKeys } from './refused-keys.js';

function clock(start = 0) {
  const time = { now: start };
  return { time, now: () => time.now };
}

describe('RefusedKeys', () => {
  it('remembers a refused key id for the time it was given, then forgets it', () => {
    const { time, now } = clock();
    const refused = new RefusedKeys({ ttlMs: 60_000, maxEntries: 10, now });
    expect(refused.has('AAAA')).toBe(false);
    refused.add('AAAA');
    time.now = 59_999;
    expect(refused.has('AAAA')).toBe(true);
    time.now = 60_000;
    expect(refused.has('AAAA')).toBe(false);
    expect(refused.size).toBe(0);
  });

  it('holds at most maxEntries ids, forgetting the oldest first', () => {
    const { now } = clock();
    const refused = new RefusedKeys({ ttlMs: 60_000, maxEntries: 3, now });
    for (const id of ['A', 'B', 'C', 'D']) refused.add(id);
    expect(refused.size).toBe(3);
    expect(['A', 'B', 'C', 'D'].map((id) => refused.has(id))).toEqual([false, true, true, true]);
  });

  it('refusing an id again restarts its time and its place', () => {
    const { time, now } = clock();
    const refused = new RefusedKeys({ ttlMs: 60_000, maxEntries: 2, now });
    refused.add('A');
    refused.add('B');
    time.now = 30_000;
    refused.add('A');
    refused.add('C'); // evicts B, the oldest, not A
    expect([refused.has('A'), refused.has('B'), refused.has('C')]).toEqual([true, false, true]);
    time.now = 89_999;
    expect(refused.has('A')).toBe(true);
  });
});
