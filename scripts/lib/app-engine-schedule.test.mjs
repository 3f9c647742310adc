import { describe, expect, it } from 'vitest';
import { nextRunAfter, parseSchedule } from './app-engine-schedule.mjs';

const at = (iso) => Date.parse(iso);
const next = (text, iso) => new Date(nextRunAfter(parseSchedule(text), at(iso))).toISOString();

describe('App Engine schedules, locally', () => {
  it('runs "every 5 minutes" on the clock, strictly after now', () => {
    expect(next('every 5 minutes', '2026-12-01T10:02:30Z')).toBe('2026-12-01T10:05:00.000Z');
    expect(next('every 5 minutes', '2026-12-01T10:05:00Z')).toBe('2026-12-01T10:10:00.000Z');
    expect(next('every 5 minutes', '2026-12-01T23:59:00Z')).toBe('2026-12-02T00:00:00.000Z');
  });

  it('runs "every N hours" from midnight UTC', () => {
    expect(next('every 2 hours', '2026-12-01T03:00:00Z')).toBe('2026-12-01T04:00:00.000Z');
    expect(next('every 1 hours', '2026-12-01T03:00:00.001Z')).toBe('2026-12-01T04:00:00.000Z');
  });

  it('runs "every day HH:MM" today when it is still ahead, else tomorrow', () => {
    expect(next('every day 03:00', '2026-12-01T02:59:59Z')).toBe('2026-12-01T03:00:00.000Z');
    expect(next('every day 03:00', '2026-12-01T03:00:00Z')).toBe('2026-12-02T03:00:00.000Z');
    expect(next('every day 07:00', '2026-12-31T08:00:00Z')).toBe('2027-01-01T07:00:00.000Z');
  });

  it('refuses what it does not understand, by name', () => {
    expect(() => parseSchedule('every monday 09:00')).toThrow(/Unsupported schedule "every monday 09:00"/);
    expect(() => parseSchedule('*/5 * * * *')).toThrow(/Unsupported schedule/);
    expect(() => parseSchedule('every 7 minutes')).toThrow(/does not divide a day/);
    expect(() => parseSchedule('every 0 minutes')).toThrow(/does not divide a day/);
    expect(() => parseSchedule('every day 24:00')).toThrow(/not a time of day/);
    expect(() => parseSchedule('every 5 minutes', 'Europe/Paris')).toThrow(/Only UTC/);
  });
});
