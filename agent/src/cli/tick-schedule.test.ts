import { describe, expect, it } from 'vitest';
import { jitteredMs, TickSchedule } from './tick-schedule.js';

/** A fake clock and one daemon tick that takes `collectSeconds`, as run-command drives the schedule. */
function tickTaking(schedule: TickSchedule, clock: { ms: number }, collectSeconds: number): void {
  schedule.started(clock.ms);
  clock.ms += collectSeconds * 1000;
}

describe('TickSchedule', () => {
  it('measures the interval from the start of a tick: a slow collection does not stretch it', () => {
    const clock = { ms: 1_000_000 };
    const schedule = new TickSchedule(() => 0.5); // 0.5: no jitter
    tickTaking(schedule, clock, 100);
    expect(schedule.nextTickAtMs(300)).toBe(1_000_000 + 300_000);
    // Ticks stay on a 300 s grid however long each collection takes.
    clock.ms = schedule.nextTickAtMs(300);
    tickTaking(schedule, clock, 250);
    expect(schedule.nextTickAtMs(300)).toBe(1_000_000 + 600_000);
  });

  it('applies an interval the ingest changed from the start of the current tick', () => {
    const clock = { ms: 5_000_000 };
    const schedule = new TickSchedule(() => 0.5);
    tickTaking(schedule, clock, 20);
    // The reply (to the tick's submit, or to a retry during the wait) said 60 s instead of 300 s.
    expect(schedule.nextTickAtMs(60)).toBe(5_000_000 + 60_000);
    expect(schedule.nextTickAtMs(3_600)).toBe(5_000_000 + 3_600_000);
  });

  it('is due at once when the tick took longer than the interval', () => {
    const clock = { ms: 0 };
    const schedule = new TickSchedule(() => 0.5);
    tickTaking(schedule, clock, 90);
    expect(schedule.nextTickAtMs(60)).toBeLessThanOrEqual(clock.ms);
  });

  it('draws the jitter once per tick, so a changed interval keeps the same spread', () => {
    const draws = [0, 1];
    const schedule = new TickSchedule(() => draws.shift()!);
    schedule.started(0);
    expect(schedule.nextTickAtMs(300)).toBe(270_000);
    expect(schedule.nextTickAtMs(600)).toBe(540_000);
    schedule.started(270_000);
    expect(schedule.nextTickAtMs(300)).toBe(270_000 + 330_000);
  });

  it('spreads ticks by ±10 %', () => {
    expect(jitteredMs(300, () => 0)).toBe(270_000);
    expect(jitteredMs(300, () => 1)).toBe(330_000);
  });
});
