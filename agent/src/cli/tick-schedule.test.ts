import { describe, expect, it } from 'vitest';
import { jitteredMs, slotWaitMs, TickSchedule } from './tick-schedule.js';

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

describe('TickSchedule with a report slot', () => {
  it('starts the next tick the slot’s wait after this tick started, so the report arrives on the slot', () => {
    const clock = { ms: 1_000_000 };
    const schedule = new TickSchedule(() => 0); // the jitter would say 270 s
    tickTaking(schedule, clock, 4); // collected and sent in 4 s; the reply says the slot is 310 s away
    schedule.slotted(310, 300);
    expect(schedule.nextTickAtMs(300)).toBe(1_000_000 + 310_000);
    // The next tick takes its 4 s again: its report reaches the ingest 310 s after the reply, on the slot.
  });

  it('forgets the slot at the next tick: a tick whose send failed falls back to the jittered interval', () => {
    const schedule = new TickSchedule(() => 0);
    schedule.started(0);
    schedule.slotted(200, 300);
    schedule.started(200_000);
    expect(schedule.nextTickAtMs(300)).toBe(200_000 + 270_000);
    schedule.slotted(undefined, 300);
    expect(schedule.nextTickAtMs(300)).toBe(200_000 + 270_000);
  });

  it('ignores a slot given for another interval than the one in force now', () => {
    const schedule = new TickSchedule(() => 0.5);
    schedule.started(0);
    schedule.slotted(200, 300);
    expect(schedule.nextTickAtMs(60)).toBe(60_000);
  });

  it('holds a wait to half an interval and one and a half', () => {
    expect(slotWaitMs(0, 300)).toBe(150_000);
    expect(slotWaitMs(10_000, 300)).toBe(450_000);
    expect(slotWaitMs(299.5, 300)).toBe(299_500);
  });
});
