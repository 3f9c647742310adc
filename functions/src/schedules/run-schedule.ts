// Emulator only (index.ts exports these only when isEmulator()): the Functions emulator registers a
// v2 onSchedule function as a Pub/Sub trigger with an "http" signature, and its Pub/Sub emulator
// cannot deliver to that signature ("Unsupported trigger signature: http", logged at debug level),
// so publishing to the schedule's topic runs nothing. These callables run the same handlers inside
// the functions emulator instead: `listSchedules` for `npm start`'s local cron, `runSchedule` for
// `npm run schedule -- <name>`.
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions';
import { z } from 'zod';
import { parseInput } from '../validation/parse-input.js';
import { SCHEDULE_NAMES, SCHEDULE_TIME_ZONE, SCHEDULES, scheduleNamed } from './schedules.js';

export function listSchedules(): { timeZone: string; schedules: Array<{ name: string; schedule: string }> } {
  return {
    timeZone: SCHEDULE_TIME_ZONE,
    schedules: SCHEDULE_NAMES.map((name) => ({ name, schedule: SCHEDULES[name].schedule })),
  };
}

const runScheduleInputSchema = z.object({ name: z.string().min(1).max(100) });

export async function runSchedule(request: CallableRequest<unknown>): Promise<{ name: string; result: unknown }> {
  const { name } = parseInput(runScheduleInputSchema, request.data);
  const entry = scheduleNamed(name);
  if (!entry) {
    throw new HttpsError('not-found', `There is no schedule named "${name}". Schedules: ${SCHEDULE_NAMES.join(', ')}.`, {
      schedules: SCHEDULE_NAMES,
    });
  }
  const startedAt = Date.now();
  const result = (await entry.run()) ?? null;
  logger.info('schedule run on request', { name, ms: Date.now() - startedAt });
  return { name, result };
}
