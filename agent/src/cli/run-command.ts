// `vigil-agent run`: the daemon systemd starts.
//   tick: collect a report (the spool's backlog in it), submit it (spooled first, then sent before
//   the older spooled reports, which follow as backfill); the ingest's reply sets the interval.
//   between ticks: the next tick is due at the reply's report slot, else one interval ± 10 %, after
//   this tick STARTED (tick-schedule.ts: a slow collection does not stretch the interval); while
//   reports wait in the spool after a failure, flush on the delivery's backoff schedule.
//   SIGTERM / SIGINT: stop waiting and stop collecting; a send in progress finishes (the spool is
//   durable and reportId makes a resend harmless, so even a kill loses nothing). A second signal
//   exits at once. SIGHUP: read the config again and tick now; an invalid config keeps the old one.
//   uncaught exception / unhandled rejection: saved to <spool_dir>/../crash, sent to the operator's
//   Sentry when error_reporting_dsn is set, exit 1 (systemd restarts); the next report carries it.
//   an update offered by a reply (update/updater.ts): considered after the tick or the retry that
//   brought it, never during one; once installed, exit EXIT.restartForUpdate (systemd restarts, the
//   launcher hands over). Each report carries the update policy and last attempt; the first
//   accepted report of a version on trial confirms it.
import { AGENT_CONFIG_BOUNDS, type AgentUpdateOffer } from '@vigil/schema';
import type { AgentConfig } from '../config/load-config.js';
import type { Delivery, DeliveryOutcome } from '../delivery/delivery.js';
import { createCrashHandler } from '../health/crash-handler.js';
import { crashDirFor } from '../health/crash-store.js';
import { reportHealth, settleCrashes } from '../health/report-health.js';
import { createErrorReporter, type ErrorReporter } from '../health/sentry.js';
import { createLogger, type LogLevel, type Logger } from '../log.js';
import { createUpdater } from '../update/updater.js';
import type { CliArgs } from './args.js';
import type { CliDeps, StopSignal } from './deps.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { collectWith, countReport, deliveryConfig, errorText, loadConfigFor, printConfigError } from './shared.js';
import { TickSchedule } from './tick-schedule.js';

export { jitteredMs } from './tick-schedule.js';

function clampInterval(seconds: number): number {
  const { min, max } = AGENT_CONFIG_BOUNDS.intervalSeconds;
  return Math.min(max, Math.max(min, Math.round(seconds)));
}

interface DaemonState {
  config: AgentConfig;
  log: Logger;
  delivery: Delivery;
  intervalSeconds: number;
  /** The last delivery attempt failed and left reports in the spool: retry on the backoff schedule. */
  retryPending: boolean;
  crashDir: string;
  reporter: ErrorReporter;
}

export async function runCommand(args: CliArgs, deps: CliDeps): Promise<ExitCode> {
  const loaded = await loadConfigFor(args, deps, true);
  if (!('config' in loaded)) {
    printConfigError(deps, loaded);
    return EXIT.config;
  }
  const logTo = (level: LogLevel) => createLogger(level, (line) => deps.stdout.write(`${line}\n`), deps.now);
  const makeState = (config: AgentConfig, log: Logger, intervalSeconds: number): DaemonState => ({
    config,
    log,
    delivery: deps.createDelivery(deliveryConfig(config), { log, random: deps.random }),
    intervalSeconds,
    retryPending: true, // whatever an earlier run left in the spool goes out with the first tick anyway
    crashDir: crashDirFor(config.spoolDir),
    reporter: createErrorReporter({
      dsn: config.errorReportingDsn,
      version: deps.version,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  });
  let state = makeState(loaded.config, logTo(loaded.config.logLevel), loaded.config.intervalSeconds);
  for (const warning of loaded.warnings) state.log.warn(warning);
  const updater = createUpdater({
    config: () => state.config,
    version: deps.version,
    launch: deps.launch,
    env: deps.env,
    log: () => state.log,
    now: deps.now,
    fetch: deps.fetch,
  });
  /** The latest offer of a reply, considered once the tick or retry that brought it is over. */
  let offer: AgentUpdateOffer | undefined;
  /** Reports this process collected: one of them accepted confirms a version on trial. */
  const collectedHere = new Set<string>();
  const noteDelivered = async (outcome: DeliveryOutcome) => {
    if (outcome.delivered.some((reportId) => collectedHere.has(reportId))) {
      collectedHere.clear();
      await updater.reportAccepted();
    }
  };

  const stop = new AbortController();
  let wake = new AbortController();
  let reloadRequested = false;
  const requestStop = (signal: StopSignal) => {
    if (stop.signal.aborted) {
      state.log.warn('second stop signal: exiting now', { signal });
      deps.forceExit(EXIT.failure);
      return;
    }
    state.log.info('stopping', { signal });
    stop.abort(new Error(`stopped by ${signal}`));
    wake.abort();
  };
  const onCrash = createCrashHandler(() => ({
    crashDir: state.crashDir,
    version: deps.version,
    log: state.log,
    reporter: state.reporter,
    now: deps.now,
    exit: deps.forceExit,
  }));
  const unsubscribe = [
    ...(deps.onFatal ? [deps.onFatal(onCrash)] : []),
    deps.onSignal('SIGTERM', () => requestStop('SIGTERM')),
    deps.onSignal('SIGINT', () => requestStop('SIGINT')),
    deps.onSignal('SIGHUP', () => {
      reloadRequested = true;
      wake.abort();
    }),
  ];

  const sleep = async (ms: number) => {
    if (wake.signal.aborted) wake = new AbortController();
    await deps.sleep(ms, wake.signal);
  };

  const noteOutcome = (outcome: DeliveryOutcome) => {
    state.retryPending = outcome.spooled > 0 && outcome.error !== undefined;
    if (outcome.update) offer = outcome.update;
    if (outcome.intervalSeconds !== undefined) {
      const next = clampInterval(outcome.intervalSeconds);
      if (next !== state.intervalSeconds) {
        state.log.info('reporting interval set by the server', { from: state.intervalSeconds, to: next });
        state.intervalSeconds = next;
      }
    }
  };

  const reload = async () => {
    reloadRequested = false;
    const next = await loadConfigFor(args, deps, true);
    if (!('config' in next)) {
      state.log.error('config reload failed; keeping the running config', { source: next.source, problems: next.problems });
      return;
    }
    // The interval the server asked for outlives a reload; the file's is only the starting point.
    const interval = state.intervalSeconds === state.config.intervalSeconds ? next.config.intervalSeconds : state.intervalSeconds;
    state = makeState(next.config, logTo(next.config.logLevel), interval);
    for (const warning of next.warnings) state.log.warn(warning);
    state.log.info('config reloaded', { configPath: next.config.configPath, endpoint: next.config.endpoint });
  };

  const tick = async () => {
    const { log, delivery } = state;
    const backlog = await delivery.status();
    const { health, crashFiles } = await reportHealth(backlog, state.crashDir, state.config.sendAgentHealth, log);
    const update = await updater.status();
    const started = performance.now();
    const { report, outcomes } = await collectWith(state.config, deps, log, {
      delivery: { spooled: backlog.spooled, dropped: backlog.dropped },
      health,
      update,
      signal: stop.signal,
    });
    if (collectedHere.size < 1_000) collectedHere.add(report.reportId);
    log.info('report collected', {
      reportId: report.reportId,
      ...countReport(report),
      durationMs: Math.round(performance.now() - started),
      failed: outcomes.filter((outcome) => outcome.status === 'failed').map((outcome) => outcome.id),
      timedOut: outcomes.filter((outcome) => outcome.status === 'timed-out').map((outcome) => outcome.id),
    });
    const outcome = await delivery.submit(report);
    noteOutcome(outcome);
    // The reply's report slot times the next tick (tick-schedule.ts); none when this send failed.
    schedule.slotted(outcome.nextReportInSeconds, state.intervalSeconds);
    await noteDelivered(outcome);
    await settleCrashes(report.reportId, outcome, crashFiles, log);
    const fields = { reportId: report.reportId, spooled: outcome.spooled, dropped: outcome.dropped };
    if (outcome.delivered.includes(report.reportId)) log.info('report delivered', { ...fields, delivered: outcome.delivered.length });
    else log.warn('report not delivered yet', { ...fields, error: outcome.error?.kind });
  };

  state.log.info('agent started', {
    version: deps.version,
    configPath: state.config.configPath,
    endpoint: state.config.endpoint,
    intervalSeconds: state.intervalSeconds,
    plugins: deps.plugins.length,
    // What leaves the host besides the report (docs/telemetry.md), said once at start.
    agentHealth: state.config.sendAgentHealth,
    hiddenHostDetails: state.config.hideHostDetails,
    errorReporting: state.reporter.enabled ? 'sentry' : 'off',
  });
  const schedule = new TickSchedule(deps.random);
  // Read again at every step: a reply during the wait may change the interval, counted from this tick's start.
  const untilNextTick = () => schedule.nextTickAtMs(state.intervalSeconds) - deps.now().getTime();
  /** Between ticks: true when an offered update is installed and the agent must restart to run it. */
  const installedUpdate = async (): Promise<boolean> => {
    const offered = offer;
    offer = undefined;
    if (!offered || stop.signal.aborted) return false;
    try {
      return await updater.consider(offered, state.intervalSeconds, stop.signal);
    } catch (error) {
      state.log.error('update failed', { reason: errorText(error) });
      return false;
    }
  };
  let restartForUpdate = false;
  try {
    while (!stop.signal.aborted) {
      if (reloadRequested) await reload();
      schedule.started(deps.now().getTime());
      try {
        await tick();
      } catch (error) {
        if (stop.signal.aborted) break;
        state.log.error('tick failed', { reason: errorText(error) });
        void state.reporter.report(error, { handled: true, tags: { command: 'run', phase: 'tick' } });
      }
      if (await installedUpdate()) {
        restartForUpdate = true;
        break;
      }
      while (!stop.signal.aborted && !reloadRequested) {
        const untilTick = untilNextTick();
        if (untilTick <= 0) break;
        const retryIn = state.retryPending ? Math.max(1_000, state.delivery.nextRetryDelayMs()) : Infinity;
        await sleep(Math.min(untilTick, retryIn));
        if (stop.signal.aborted || reloadRequested || !state.retryPending || untilNextTick() <= 0) continue;
        try {
          const outcome = await state.delivery.flush();
          noteOutcome(outcome);
          await noteDelivered(outcome);
          if (outcome.delivered.length)
            state.log.info('spooled reports delivered', { delivered: outcome.delivered.length, spooled: outcome.spooled });
        } catch (error) {
          state.log.error('retry failed', { reason: errorText(error) });
          state.retryPending = false;
        }
        if (await installedUpdate()) {
          restartForUpdate = true;
          break;
        }
      }
      if (restartForUpdate) break;
    }
  } finally {
    for (const off of unsubscribe) off();
  }
  if (restartForUpdate) {
    state.log.info('agent stopped to restart on the update', { exitCode: EXIT.restartForUpdate });
    return EXIT.restartForUpdate;
  }
  state.log.info('agent stopped');
  return EXIT.ok;
}
