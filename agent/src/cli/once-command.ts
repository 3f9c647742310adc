// `vigil-agent once`: collect one report, send it (with whatever is spooled), exit with the outcome.
// The report carries the update policy and last attempt as `run`'s do; `once` installs no update.
import { createLogger, type LogLevel } from '../log.js';
import type { DeliveryOutcome } from '../delivery/delivery.js';
import { crashDirFor } from '../health/crash-store.js';
import { reportHealth, settleCrashes } from '../health/report-health.js';
import type { CliArgs } from './args.js';
import type { CliDeps } from './deps.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { collectProgressText, createProgress } from './progress.js';
import { collectWith, countReport, deliveryConfig, loadConfigFor, printConfigError } from './shared.js';
import { createUpdater } from '../update/updater.js';

/** The exit code for one report's delivery. */
export function exitCodeFor(reportId: string, outcome: DeliveryOutcome): ExitCode {
  if (outcome.delivered.includes(reportId)) return EXIT.ok;
  switch (outcome.error?.kind) {
    case 'unauthenticated':
      return EXIT.keyRejected;
    case 'invalid':
      return EXIT.reportRejected;
    case undefined:
      return outcome.spooled > 0 ? EXIT.spooled : EXIT.failure;
    default:
      return EXIT.spooled;
  }
}

export async function onceCommand(args: CliArgs, deps: CliDeps): Promise<ExitCode> {
  const loaded = await loadConfigFor(args, deps, true);
  if (!('config' in loaded)) {
    printConfigError(deps, loaded);
    return EXIT.config;
  }
  const { config, warnings } = loaded;
  const progress = createProgress(deps.stderr);
  const log = createLogger(config.logLevel as LogLevel, (line) => progress.around(() => deps.stdout.write(`${line}\n`)), deps.now);
  for (const warning of warnings) log.warn(warning);

  const delivery = deps.createDelivery(deliveryConfig(config), { log, random: deps.random });
  try {
    const backlog = await delivery.status();
    const { health, crashFiles } = await reportHealth(backlog, crashDirFor(config.spoolDir), config.sendAgentHealth, log);
    const update = await createUpdater({ config: () => config, version: deps.version, env: deps.env, log: () => log, now: deps.now }).status();
    progress.update('collecting');
    const started = performance.now();
    const { report } = await collectWith(config, deps, log, {
      delivery: { spooled: backlog.spooled, dropped: backlog.dropped },
      health,
      update,
      onProgress: (event) => progress.update(collectProgressText(event)),
    });
    log.info('report collected', { reportId: report.reportId, ...countReport(report), durationMs: Math.round(performance.now() - started) });
    progress.update('sending');
    const outcome = await delivery.submit(report);
    await settleCrashes(report.reportId, outcome, crashFiles, log);
    progress.stop();
    const code = exitCodeFor(report.reportId, outcome);
    const fields = { reportId: report.reportId, spooled: outcome.spooled, dropped: outcome.dropped, exitCode: code };
    if (code === EXIT.ok) log.info('report delivered', { ...fields, delivered: outcome.delivered.length });
    else log.error('report not delivered', { ...fields, error: outcome.error?.kind, reason: outcome.error?.message });
    return code;
  } finally {
    progress.stop();
  }
}
