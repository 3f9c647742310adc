import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIRST_COUNT_WAIT_MS, FLEET_SIZE_REFRESH_MS, FLEET_SIZE_RETRY_MS, FleetSize } from './fleet-size.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A count the test answers by hand. */
function pendingCounts() {
  const releases: ((value: number) => void)[] = [];
  return {
    count: () => new Promise<number>((resolve) => releases.push(resolve)),
    calls: () => releases.length,
    answer: (index: number, value: number) => releases[index]!(value),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FleetSize', () => {
  it('waits for the first count, keeps it an hour, then recounts in the background while reports keep the old figure', async () => {
    const time = clock();
    const counts = pendingCounts();
    const size = new FleetSize(counts.count, () => {}, time.now);
    const first = size.current();
    counts.answer(0, 1200);
    expect(await first).toBe(1200);
    time.advance(FLEET_SIZE_REFRESH_MS - 1);
    expect(await size.current()).toBe(1200);
    expect(counts.calls()).toBe(1);
    time.advance(1);
    // Due: the recount starts, and this report does not wait for it.
    expect(await size.current()).toBe(1200);
    expect(counts.calls()).toBe(2);
    expect(await size.current()).toBe(1200);
    expect(counts.calls()).toBe(2);
    counts.answer(1, 5400);
    await vi.waitFor(async () => expect(await size.current()).toBe(5400));
    expect(counts.calls()).toBe(2);
  });

  it('shares one first count among reports that arrive together', async () => {
    const counts = pendingCounts();
    const size = new FleetSize(counts.count, () => {});
    const both = Promise.all([size.current(), size.current()]);
    counts.answer(0, 30);
    expect(await both).toEqual([30, 30]);
    expect(counts.calls()).toBe(1);
  });

  it('waits at most FIRST_COUNT_WAIT_MS for a slow first count (unknown meanwhile), and uses it when it comes', async () => {
    vi.useFakeTimers();
    const counts = pendingCounts();
    const size = new FleetSize(counts.count, () => {});
    const first = size.current();
    await vi.advanceTimersByTimeAsync(FIRST_COUNT_WAIT_MS);
    expect(await first).toBe(Number.POSITIVE_INFINITY);
    counts.answer(0, 800);
    await vi.advanceTimersByTimeAsync(0);
    expect(await size.current()).toBe(800);
    expect(counts.calls()).toBe(1);
  });

  it('settled() waits for a slow first count however long it takes', async () => {
    vi.useFakeTimers();
    const counts = pendingCounts();
    const size = new FleetSize(counts.count, () => {});
    let settled: number | undefined;
    void size.settled().then((value) => (settled = value));
    await vi.advanceTimersByTimeAsync(10 * FIRST_COUNT_WAIT_MS);
    expect(settled).toBeUndefined();
    counts.answer(0, 42);
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(42);
  });

  it('after a failed count keeps the last figure (unknown: Infinity), warns with the cause, and retries a minute later', async () => {
    const time = clock();
    const warnings: unknown[] = [];
    const results: (() => Promise<number>)[] = [() => Promise.reject(new Error('unavailable')), () => Promise.resolve(7), () => Promise.resolve(-1)];
    let calls = 0;
    const size = new FleetSize(
      () => results[calls++]!(),
      (message, fields) => warnings.push({ message, fields }),
      time.now,
    );
    expect(await size.current()).toBe(Number.POSITIVE_INFINITY);
    expect(warnings).toEqual([{ message: expect.stringContaining('counting') as unknown, fields: { fault: 'unavailable' } }]);
    time.advance(FLEET_SIZE_RETRY_MS - 1);
    expect(await size.current()).toBe(Number.POSITIVE_INFINITY);
    expect(calls).toBe(1);
    time.advance(1);
    expect(await size.current()).toBe(7);
    // A nonsense answer is a failed count too: the last good figure stays.
    time.advance(FLEET_SIZE_REFRESH_MS);
    await size.current();
    await vi.waitFor(() => expect(warnings).toHaveLength(2));
    expect(await size.current()).toBe(7);
  });
});
