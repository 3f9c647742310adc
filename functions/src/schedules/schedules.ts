// Every scheduled function, in one table: its cron and what it runs. index.ts exports one
// onSchedule per entry (`scheduled(name)`), and under the emulator `listSchedules` / `runSchedule`
// expose the same table to `npm start` (which runs each on its cron) and `npm run schedule -- <name>`
// (which runs one now). Add a schedule here and all three pick it up.
//
// Crons use the App Engine syntax Cloud Scheduler takes. The local runner
// (scripts/lib/app-engine-schedule.mjs) understands what this table uses: "every N minutes",
// "every N hours" and "every day HH:MM", all in SCHEDULE_TIME_ZONE.
import type { SecretParam } from 'firebase-functions/params';
import { detectSilentAgents } from '../alerts/detect-silent-agents.js';
import { pruneOldData } from '../alerts/prune-old-data.js';
import { sendDigests } from '../alerts/send-digests.js';
import { sweepEmails } from '../alerts/sweep-emails.js';
import { sendgridApiKey } from '../params.js';
import { SUMMARIZE_TIMEOUT_SECONDS, summarizeFleets } from '../summary/summarize-fleets.js';

export const SCHEDULE_TIME_ZONE = 'UTC';

export interface ScheduleEntry {
  /** App Engine cron syntax, in SCHEDULE_TIME_ZONE. */
  schedule: string;
  timeoutSeconds?: number;
  secrets?: SecretParam[];
  /** The handler; what it returns is the run's summary (logged locally, answered by runSchedule). */
  run: () => Promise<unknown>;
}

export const SCHEDULES = {
  detectSilentAgents: { schedule: 'every 5 minutes', run: () => detectSilentAgents() },
  // The retention sweep (alerts/prune-old-data.ts) behind Firestore's TTL: hourly, each run within its time budget.
  pruneOldData: { schedule: 'every 1 hours', timeoutSeconds: 540, run: () => pruneOldData() },
  sendDigests: { schedule: 'every day 07:00', timeoutSeconds: 540, secrets: [sendgridApiKey], run: () => sendDigests() },
  // Retries and finishes email delivery (alerts/sweep-emails.ts): every minute, so a retry is at most a minute late.
  sweepEmails: { schedule: 'every 1 minutes', timeoutSeconds: 300, secrets: [sendgridApiKey], run: () => sweepEmails() },
  // Recomputes the fleet summary of each workspace where something changed (summary/summarize-fleets.ts):
  // every minute, so the overview is at most a minute behind; a run with nothing to do writes nothing.
  summarizeFleets: { schedule: 'every 1 minutes', timeoutSeconds: SUMMARIZE_TIMEOUT_SECONDS, run: () => summarizeFleets() },
} satisfies Record<string, ScheduleEntry>;

export type ScheduleName = keyof typeof SCHEDULES;

export const SCHEDULE_NAMES = Object.keys(SCHEDULES) as ScheduleName[];

/** The entry of a name that came from outside (a request, a command line): own properties only. */
export function scheduleNamed(name: string): ScheduleEntry | undefined {
  return Object.hasOwn(SCHEDULES, name) ? (SCHEDULES as Record<string, ScheduleEntry>)[name] : undefined;
}

/** The largest timeout and every secret any schedule needs: what the emulator's runner function declares. */
export function runnerNeeds(): { timeoutSeconds: number; secrets: SecretParam[] } {
  const entries: ScheduleEntry[] = Object.values(SCHEDULES);
  return {
    timeoutSeconds: Math.max(60, ...entries.map((entry) => entry.timeoutSeconds ?? 60)),
    secrets: [...new Set(entries.flatMap((entry) => entry.secrets ?? []))],
  };
}
