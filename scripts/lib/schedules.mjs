// The schedules of the running stack, over HTTP: the emulator-only callables listSchedules and
// runSchedule (functions/src/schedules/run-schedule.ts), which run the real handlers inside the
// functions emulator. Used by `npm start` (each schedule on its cron) and `npm run schedule`.
import { nextRunAfter, parseSchedule } from './app-engine-schedule.mjs';
import { PORTS, PROJECT_ID, REGION } from './emulator-env.mjs';

export const FUNCTIONS_ORIGIN = `http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/${REGION}`;

/** Nothing answers, or what answers is not Vigil's functions emulator. */
export class StackNotRunning extends Error {}
/** The stack has no schedule of that name. */
export class UnknownSchedule extends Error {}

async function call(name, data, { origin = FUNCTIONS_ORIGIN, timeoutMs = 600_000 } = {}) {
  const notRunning = `Vigil is not running here (nothing serves ${origin}/${name}). Start it with \`npm start\`, then try again.`;
  let response;
  try {
    response = await fetch(`${origin}/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error?.name === 'TimeoutError') throw new Error(`${name} did not answer within ${timeoutMs / 1000} s.`);
    throw new StackNotRunning(notRunning);
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    // The emulator answers a function it does not have with a plain-text 404.
    throw new StackNotRunning(notRunning);
  }
  if (body?.error) {
    const error = body.error.status === 'NOT_FOUND' ? new UnknownSchedule(body.error.message) : new Error(`${name} failed: ${body.error.message}`);
    throw error;
  }
  return body?.result;
}

/** @returns {Promise<{ timeZone: string, schedules: Array<{ name: string, schedule: string }> }>} */
export function listSchedules(options) {
  return call('listSchedules', {}, { ...options, timeoutMs: 10_000 });
}

/** Runs one schedule now, in the functions emulator; resolves to its handler's summary. */
export async function runScheduleNow(name, options) {
  const answer = await call('runSchedule', { name }, options);
  return answer.result;
}

/**
 * Runs each schedule on its cron until stopped. A run still going when its next time comes is not
 * started twice (that time is skipped). Unsupported crons are refused up front, by name. A run's
 * summary is logged when it differs from that schedule's previous one (a sweep every minute with
 * nothing to do says so once); failures always.
 */
export function startScheduleRunner({ timeZone, schedules }, { run = runScheduleNow, log = console.log, now = Date.now } = {}) {
  const timers = new Map();
  const running = new Set();
  const lastSummary = new Map();
  let stopped = false;
  const parsed = schedules.map(({ name, schedule }) => ({ name, schedule, parsed: parseSchedule(schedule, timeZone) }));

  function plan(entry) {
    if (stopped) return;
    const delay = Math.max(0, nextRunAfter(entry.parsed, now()) - now());
    timers.set(
      entry.name,
      setTimeout(() => void fire(entry), delay),
    );
  }

  async function fire(entry) {
    plan(entry);
    if (running.has(entry.name)) {
      log(`schedule ${entry.name}: still running, this run skipped`);
      return;
    }
    running.add(entry.name);
    try {
      const summary = JSON.stringify(await run(entry.name));
      if (lastSummary.get(entry.name) !== summary) log(`schedule ${entry.name}: ${summary}`);
      lastSummary.set(entry.name, summary);
    } catch (error) {
      lastSummary.delete(entry.name);
      log(`schedule ${entry.name} failed: ${error.message}`);
    } finally {
      running.delete(entry.name);
    }
  }

  parsed.forEach(plan);
  return {
    stop() {
      stopped = true;
      timers.forEach((timer) => clearTimeout(timer));
    },
  };
}
