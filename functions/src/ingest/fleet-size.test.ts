import { describe, expect, it } from 'vitest';
import { FLEET_SIZE_REFRESH_MS, FLEET_SIZE_RETRY_MS, FleetSize } from './fleet-size.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FleetSize', () => {
  it('counts on first use, then keeps the figure for an hour and recounts after', async () => {
    const time = clock();
    const answers = [1200, 5400];
    let calls = 0;
    const size = new FleetSize(
      () => Promise.resolve(answers[calls++]!),
      () => {},
      time.now,
    );
    expect(await size.current()).toBe(1200);
    time.advance(FLEET_SIZE_REFRESH_MS - 1);
    expect(await size.current()).toBe(1200);
    expect(calls).toBe(1);
    time.advance(1);
    expect(await size.current()).toBe(5400);
    expect(calls).toBe(2);
  });

  it('shares one count among reports that arrive together', async () => {
    let calls = 0;
    let release!: (value: number) => void;
    const size = new FleetSize(
      () => {
        calls += 1;
        return new Promise<number>((resolve) => (release = resolve));
      },
      () => {},
    );
    const both = Promise.all([size.current(), size.current()]);
    release(30);
    expect(await both).toEqual([30, 30]);
    expect(calls).toBe(1);
  });

  it('after a failed count keeps the last figure (unknown: Infinity), warns without the cause hidden, and retries a minute later', async () => {
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
    expect(await size.current()).toBe(7);
    expect(warnings).toHaveLength(2);
  });
});
