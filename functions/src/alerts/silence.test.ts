import { describe, expect, it } from 'vitest';
import {
  afterRevocationLifted,
  deadlineOf,
  dueDeadlineOutcome,
  isSilent,
  missedIntervals,
  OFFLINE_GRACE_SECONDS,
  silenceDeadlineMs,
  silentAfterMs,
} from './silence.js';

const minute = 60_000;
const grace = OFFLINE_GRACE_SECONDS * 1000;
const online = { status: 'online', revoked: false, lastSeenAtMs: 0 };

describe('isSilent', () => {
  it('calls an online agent silent after more than 3 missed intervals and the grace', () => {
    const agent = { ...online, intervalSeconds: 300 };
    expect(isSilent(agent, 15 * minute + grace)).toBe(false);
    expect(isSilent(agent, 15 * minute + grace + 1)).toBe(true);
  });

  it('gives an agent reporting every minute the grace too: a late tick is not an outage', () => {
    const agent = { ...online, intervalSeconds: 60, announcedIntervalSeconds: 60 };
    expect(isSilent(agent, 3 * minute + 30_000)).toBe(false);
    expect(isSilent(agent, 3 * minute + grace + 1)).toBe(true);
  });

  it('judges an agent by the interval it was last told when the workspace lowers it (300 s -> 60 s)', () => {
    // Told 300 s at its last report: its next report comes up to 300 s later, whatever the workspace now wants.
    const agent = { ...online, intervalSeconds: 60, announcedIntervalSeconds: 300 };
    expect(isSilent(agent, 4 * minute)).toBe(false);
    expect(isSilent(agent, 14 * minute)).toBe(false);
    expect(isSilent(agent, 15 * minute + grace + 1)).toBe(true);
  });

  it('judges an agent by the interval it was last told when the workspace lowers it (3600 s -> 300 s)', () => {
    const agent = { ...online, intervalSeconds: 300, announcedIntervalSeconds: 3600 };
    expect(isSilent(agent, 16 * minute)).toBe(false);
    expect(isSilent(agent, 179 * minute)).toBe(false);
    expect(isSilent(agent, 180 * minute + grace + 1)).toBe(true);
  });

  it('waits for the larger interval when the workspace raises it before the agent hears of it', () => {
    const agent = { ...online, intervalSeconds: 3600, announcedIntervalSeconds: 300 };
    expect(isSilent(agent, 16 * minute)).toBe(false);
    expect(isSilent(agent, 180 * minute + grace + 1)).toBe(true);
  });

  it('falls back to the stored interval when the agent was never told one', () => {
    const agent = { ...online, intervalSeconds: 60 };
    expect(isSilent(agent, 3 * minute + grace + 1)).toBe(true);
  });

  it('never calls never-seen, offline or revoked agents silent', () => {
    expect(isSilent({ status: 'never-seen', revoked: false, lastSeenAtMs: null, intervalSeconds: 300 }, 99 * minute)).toBe(false);
    expect(isSilent({ ...online, status: 'offline', intervalSeconds: 300 }, 99 * minute)).toBe(false);
    expect(isSilent({ ...online, revoked: true, intervalSeconds: 300 }, 999 * minute)).toBe(false);
  });

  it('falls back to the default interval when the stored ones are unusable', () => {
    expect(isSilent({ ...online, intervalSeconds: 'x', announcedIntervalSeconds: -5 }, 15 * minute + grace + 1)).toBe(true);
    expect(isSilent({ ...online, intervalSeconds: 'x' }, 15 * minute + grace)).toBe(false);
    expect(missedIntervals(0, 60, 3 * minute)).toBe(3);
  });
});

describe('silentAfterMs', () => {
  it('is the moment the agent became overdue: last seen + 3 of the judged intervals + the grace', () => {
    expect(silentAfterMs({ lastSeenAtMs: 1_000, intervalSeconds: 60, announcedIntervalSeconds: 300 })).toBe(1_000 + 15 * minute + grace);
  });
});

describe('silenceDeadlineMs', () => {
  it('is the moment silentAfterMs names for a report received then', () => {
    const agent = { intervalSeconds: 300, announcedIntervalSeconds: 600 };
    const received = Date.parse('2026-12-02T00:00:00Z');
    expect(silenceDeadlineMs(received, agent)).toBe(received + (3 * 600 + 60) * 1000);
    expect(silenceDeadlineMs(received, agent)).toBe(silentAfterMs({ ...agent, lastSeenAtMs: received }));
  });
});

describe('deadlineOf', () => {
  it('is silentAfterMs for an online, seen, unrevoked agent and none otherwise', () => {
    expect(deadlineOf({ ...online, lastSeenAtMs: 1_000, intervalSeconds: 300 })).toBe(1_000 + 15 * minute + grace);
    expect(deadlineOf({ ...online, revoked: true, intervalSeconds: 300 })).toBeNull();
    expect(deadlineOf({ ...online, status: 'offline', intervalSeconds: 300 })).toBeNull();
    expect(deadlineOf({ status: 'never-seen', revoked: false, lastSeenAtMs: null, intervalSeconds: 300 })).toBeNull();
  });
});

describe('dueDeadlineOutcome', () => {
  const deadline = 15 * minute + grace; // last seen at 0, every 300 s
  const due = { ...online, intervalSeconds: 300, offlineAtMs: deadline };

  it('marks offline an agent whose deadline passed and that silence.ts calls silent, dated at the deadline', () => {
    expect(dueDeadlineOutcome(due, deadline + 1)).toEqual({ action: 'offline', overdueAtMs: deadline });
  });

  it('does nothing when the deadline moved past now or was cleared (the agent reported meanwhile)', () => {
    expect(dueDeadlineOutcome({ ...due, offlineAtMs: deadline + minute }, deadline + 1)).toEqual({ action: 'not-due' });
    expect(dueDeadlineOutcome({ ...due, offlineAtMs: null }, deadline + 1)).toEqual({ action: 'not-due' });
  });

  it('clears the deadline of a revoked, never-seen or offline agent, so the query never finds it again', () => {
    expect(dueDeadlineOutcome({ ...due, revoked: true }, deadline + 1)).toEqual({ action: 'clear' });
    expect(dueDeadlineOutcome({ ...due, status: 'never-seen', lastSeenAtMs: null }, deadline + 1)).toEqual({ action: 'clear' });
    expect(dueDeadlineOutcome({ ...due, status: 'offline' }, deadline + 1)).toEqual({ action: 'clear' });
  });

  it('moves the deadline out, and calls nobody offline, when the judged interval grew since it was set', () => {
    // The workspace raised its interval to 3600 s: silence.ts waits 3 hours, whatever the stored deadline says.
    const raised = { ...due, intervalSeconds: 3600 };
    expect(dueDeadlineOutcome(raised, deadline + 1)).toEqual({ action: 'reschedule', offlineAtMs: 180 * minute + grace });
  });

  it('waits for the strict boundary isSilent draws: due at the deadline itself, silent only after it', () => {
    expect(dueDeadlineOutcome(due, deadline)).toEqual({ action: 'reschedule', offlineAtMs: deadline });
  });
});

describe('afterRevocationLifted', () => {
  const agent = { status: 'online', lastSeenAtMs: 0, intervalSeconds: 300 };
  const deadline = 15 * minute + grace;

  it('takes an agent that went overdue while revoked offline quietly, with no deadline', () => {
    expect(afterRevocationLifted(agent, 10 * 86_400_000)).toEqual({ goesOffline: true, offlineAtMs: null });
  });

  it('gives an agent not overdue yet the deadline it would have had', () => {
    expect(afterRevocationLifted(agent, minute)).toEqual({ goesOffline: false, offlineAtMs: deadline });
  });

  it('leaves offline and never-seen agents without a deadline: their next report sets one', () => {
    expect(afterRevocationLifted({ ...agent, status: 'offline' }, minute)).toEqual({ goesOffline: false, offlineAtMs: null });
    expect(afterRevocationLifted({ status: 'never-seen', lastSeenAtMs: null, intervalSeconds: 300 }, minute)).toEqual({
      goesOffline: false,
      offlineAtMs: null,
    });
  });
});
