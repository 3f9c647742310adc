// What `run` and `once` add to a report's agentHealth before collecting (the spool from
// delivery.status(), the crashes waiting on disk), and what they do after sending it: crash records
// are removed once a report carrying them was delivered, and kept (sent again) until then.
import type { HealthFacts } from '../collect/collect.js';
import type { DeliveryOutcome, DeliveryStatus } from '../delivery/delivery.js';
import type { Logger } from '../log.js';
import { readPendingCrashes, removeCrashes } from './crash-store.js';

export interface ReportHealth {
  health: Omit<HealthFacts, 'uptimeSeconds'>;
  /** Crash files this report carries. */
  crashFiles: string[];
}

export async function reportHealth(backlog: DeliveryStatus, crashDir: string, sendAgentHealth: boolean, log: Logger): Promise<ReportHealth> {
  if (!sendAgentHealth) return { health: {}, crashFiles: [] };
  const pending = await readPendingCrashes(crashDir, log);
  return {
    health: {
      spool: { reports: backlog.spooled, bytes: backlog.bytes, dropped: backlog.dropped },
      ...(pending.last ? { crashes: { count: pending.files.length, last: pending.last } } : {}),
    },
    crashFiles: pending.last ? pending.files : [],
  };
}

export async function settleCrashes(reportId: string, outcome: DeliveryOutcome, crashFiles: readonly string[], log: Logger): Promise<void> {
  if (crashFiles.length === 0 || !outcome.delivered.includes(reportId)) return;
  await removeCrashes(crashFiles, log);
  log.info('crash records delivered and removed', { crashes: crashFiles.length });
}
