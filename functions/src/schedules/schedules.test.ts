import { describe, expect, it } from 'vitest';
import * as exported from '../index.js';
import { listSchedules, runSchedule } from './run-schedule.js';
import { SUMMARIZE_TIMEOUT_SECONDS } from '../summary/summarize-fleets.js';
import { SCHEDULE_TIME_ZONE, SCHEDULES, scheduleNamed } from './schedules.js';

type Endpoint = {
  scheduleTrigger?: { schedule: string; timeZone?: string };
  timeoutSeconds?: number;
  secretEnvironmentVariables?: Array<{ key: string }>;
};

/** What the deploy manifest says of each scheduled export: the truth Cloud Scheduler gets. */
function deployedSchedules() {
  const found: Record<string, { schedule: string; timeZone?: string }> = {};
  for (const [name, value] of Object.entries(exported)) {
    const endpoint = (value as { __endpoint?: Endpoint } | undefined)?.__endpoint;
    if (endpoint?.scheduleTrigger) found[name] = { schedule: endpoint.scheduleTrigger.schedule, timeZone: endpoint.scheduleTrigger.timeZone };
  }
  return found;
}

describe('SCHEDULES', () => {
  it('is exactly the set of scheduled exports, with their crons: one home for what runs when', () => {
    const expected = Object.fromEntries(
      Object.entries(SCHEDULES).map(([name, entry]) => [name, { schedule: entry.schedule, timeZone: SCHEDULE_TIME_ZONE }]),
    );
    expect(deployedSchedules()).toEqual(expected);
  });

  it('recomputes fleet summaries every minute, within the timeout its run lease outlives', () => {
    expect(SCHEDULES.summarizeFleets).toMatchObject({ schedule: 'every 1 minutes', timeoutSeconds: SUMMARIZE_TIMEOUT_SECONDS });
    expect(deployedSchedules().summarizeFleets).toEqual({ schedule: 'every 1 minutes', timeZone: 'UTC' });
  });

  it('looks names up as own properties only', () => {
    expect(scheduleNamed('detectSilentAgents')).toBe(SCHEDULES.detectSilentAgents);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(scheduleNamed(name)).toBeUndefined();
  });

  it('lists every schedule for the local runner', () => {
    expect(listSchedules()).toEqual({
      timeZone: 'UTC',
      schedules: Object.entries(SCHEDULES).map(([name, entry]) => ({ name, schedule: entry.schedule })),
    });
  });

  it('refuses an unknown name with not-found and the known names', async () => {
    await expect(runSchedule({ data: { name: 'constructor' } } as never)).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('detectSilentAgents'),
    });
    await expect(runSchedule({ data: {} } as never)).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
