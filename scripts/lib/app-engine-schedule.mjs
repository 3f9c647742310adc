// The App Engine cron syntax our schedules use (functions/src/schedules/schedules.ts), enough of it
// to run them locally: "every N minutes", "every N hours" and "every day HH:MM", in UTC. Anything
// else is refused by name rather than guessed at. Pure.
//
// Intervals run on the clock, as Cloud Scheduler runs them: "every 5 minutes" at :00, :05, :10…
// (multiples of N minutes since midnight UTC), "every 2 hours" at 00:00, 02:00, …

const DAY_MS = 86_400_000;

/** @returns {{ kind: 'interval', everyMs: number } | { kind: 'daily', atMs: number }} */
export function parseSchedule(text, timeZone = 'UTC') {
  if (timeZone !== 'UTC') throw new Error(`Only UTC schedules run locally; "${text}" is in ${timeZone}.`);
  const interval = /^every (\d+) (minutes|hours)$/.exec(text.trim());
  if (interval) {
    const count = Number(interval[1]);
    const unitMs = interval[2] === 'minutes' ? 60_000 : 3_600_000;
    if (count < 1 || DAY_MS % (count * unitMs) !== 0) throw new Error(`"${text}" does not divide a day evenly; not supported locally.`);
    return { kind: 'interval', everyMs: count * unitMs };
  }
  const daily = /^every day (\d{2}):(\d{2})$/.exec(text.trim());
  if (daily) {
    const hours = Number(daily[1]);
    const minutes = Number(daily[2]);
    if (hours > 23 || minutes > 59) throw new Error(`"${text}" is not a time of day.`);
    return { kind: 'daily', atMs: (hours * 60 + minutes) * 60_000 };
  }
  throw new Error(`Unsupported schedule "${text}": the local runner knows "every N minutes", "every N hours" and "every day HH:MM".`);
}

/** The first run strictly after `afterMs` (epoch milliseconds). */
export function nextRunAfter(schedule, afterMs) {
  const midnight = Math.floor(afterMs / DAY_MS) * DAY_MS;
  if (schedule.kind === 'interval') {
    return midnight + (Math.floor((afterMs - midnight) / schedule.everyMs) + 1) * schedule.everyMs;
  }
  const today = midnight + schedule.atMs;
  return today > afterMs ? today : today + DAY_MS;
}
