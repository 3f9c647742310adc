// One tick's collection: every registered plugin that is not skipped runs at the same time, each
// under its own deadline, and the results become one report that passes `reportSchema`.
//
// Failures stay with the solution they belong to (the report has no report-level error list, and
// ingest drops unknown fields):
// - detect() throws or passes the deadline: the solution is reported with `detectedBy: []`, no
//   findings, and an error `detect-failed` / `timeout`. Whether it is installed is unknown, and the
//   dashboard says so instead of the solution silently vanishing.
// - inspect() throws or passes the deadline: the solution is reported with what detection found
//   (`detectedBy`), no findings, and an error `inspect-failed` / `timeout`.
// - a plugin that returns something outside the protocol's limits is trimmed (fit-to-limits.ts).
// With `health`, the report also carries the agent's own health (`agentHealth`): the time each
// plugin took, how many failed, and what the caller knows (uptime, spool, crashes).
import { randomUUID } from 'node:crypto';
import {
  LIMITS,
  reportSchema,
  type AgentCrash,
  type AgentHealth,
  type AgentUpdateStatus,
  type HostDetail,
  type KnownSolutionId,
  type ReportInput,
} from '@vigil/schema';
import type { Host } from '../host/host.js';
import type { Logger } from '../log.js';
import type { Detection, PluginContext, SolutionPlugin } from '../plugins/plugin.js';
import type { PluginSettings } from '../plugins/settings.js';
import { fitReportSize, fitSolution, truncate, type FittedSolution } from './fit-to-limits.js';
import { collectHostFacts, type SystemInfo } from './host-facts.js';

/** Room left under LIMITS.reportBytes for the callable's `{"data": …}` envelope. */
const REPORT_BYTES_BUDGET = LIMITS.reportBytes - 1024;

export type PluginStatus = 'found' | 'absent' | 'skipped' | 'failed' | 'timed-out';

export interface PluginOutcome {
  id: KnownSolutionId;
  status: PluginStatus;
  durationMs: number;
  /** Why it failed, for logs; the same text is in the solution's errors. */
  error?: string;
}

export interface CollectProgress {
  done: number;
  total: number;
  /** Plugins still working, in registry order. */
  running: KnownSolutionId[];
}

export interface CollectOptions {
  plugins: readonly SolutionPlugin[];
  /** The machine: host facts, and every plugin unless `hostFor` gives it another. */
  host: Host;
  /** A host per plugin (fixtures in the benchmark and `collect --fixture`); undefined means skip it. */
  hostFor?: (id: KnownSolutionId) => Host | undefined;
  skip?: Iterable<string>;
  allowStateChanges: boolean;
  /**
   * Each plugin's settings (`solutions` of the config), parsed by its schema with the defaults filled
   * in when the config loaded (checkSolutionSettings); handed to the plugin as they are. A plugin
   * without an entry fails: the loader gives every plugin one.
   */
  settings: PluginSettings;
  pluginTimeoutMs: number;
  agentVersion: string;
  /** The delivery backlog to report (`delivery` of the report); omitted when unknown. */
  delivery?: { spooled: number; dropped: number };
  /** Host details to leave out of `host` (hide_host_details). */
  hideHostDetails?: readonly HostDetail[];
  /** What the caller knows of the agent's health; the report carries `agentHealth` only when given. */
  health?: HealthFacts;
  /** The update policy and last attempt (agent/src/update/updater.ts); the report carries `update` when given. */
  update?: AgentUpdateStatus;
  log: Logger;
  onProgress?: (progress: CollectProgress) => void;
  /** Aborting stops waiting for plugins (they are abandoned) and rejects with the signal's reason. */
  signal?: AbortSignal;
  system?: SystemInfo;
  newReportId?: () => string;
  now?: () => Date;
}

export interface HealthFacts {
  uptimeSeconds: number;
  spool?: { reports: number; bytes: number; dropped: number };
  /** Crashes not yet delivered, and the newest of them. */
  crashes?: { count: number; last: AgentCrash };
}

/** The report's `agentHealth`: plugin times and failures from this collection, the rest from the caller. */
export function agentHealthOf(
  version: string,
  outcomes: readonly PluginOutcome[],
  facts: HealthFacts,
  hidden: readonly HostDetail[] = [],
): AgentHealth {
  const ran = outcomes.filter((outcome) => outcome.status !== 'skipped').slice(0, LIMITS.healthPlugins);
  return {
    version: truncate(version, 64),
    uptimeSeconds: Math.max(0, Math.floor(facts.uptimeSeconds)),
    plugins: ran.map((outcome) => ({
      id: outcome.id,
      status: outcome.status as AgentHealth['plugins'][number]['status'],
      durationMs: Math.min(86_400_000, Math.max(0, Math.round(outcome.durationMs))),
    })),
    pluginErrors: outcomes.filter((outcome) => outcome.status === 'failed' || outcome.status === 'timed-out').length,
    ...(facts.spool ? { spool: facts.spool } : {}),
    ...(facts.crashes && facts.crashes.count > 0 ? { crashes: facts.crashes.count, lastCrash: facts.crashes.last } : {}),
    ...(hidden.length ? { hiddenHostDetails: [...new Set(hidden)] } : {}),
  };
}

export interface CollectResult {
  report: ReportInput;
  outcomes: PluginOutcome[];
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

function failedSolution(id: string, detectedBy: Detection['detectedBy'], code: string, message: string): FittedSolution {
  return fitSolution(id, { version: null, detectedBy, configuration: {}, metrics: {}, tests: [], errors: [{ code, message }] });
}

interface PluginRun {
  outcome: PluginOutcome;
  solution?: FittedSolution;
}

async function runPlugin(plugin: SolutionPlugin, makeContext: () => PluginContext, timeoutMs: number, log: Logger): Promise<PluginRun> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // What is known so far, so a timeout can still report the detection.
  const progress: { detection?: Detection } = {};
  const work = (async () => {
    const context = makeContext();
    const detection = await plugin.detect(context);
    if (!detection) return undefined;
    progress.detection = detection;
    return { detection, findings: await plugin.inspect(context, detection) };
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  // A plugin abandoned at its deadline may still reject later: that must not crash the process.
  work.catch(() => undefined);
  try {
    const result = await Promise.race([work, deadline]);
    if (result === 'timeout') {
      const phase = progress.detection ? 'inspection' : 'detection';
      const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
      const message = `${phase} did not finish within ${limit} (plugin_timeout_seconds)`;
      log.warn('plugin timed out', { solution: plugin.id, phase, timeoutMs });
      return {
        outcome: { id: plugin.id, status: 'timed-out', durationMs: elapsed(), error: message },
        solution: failedSolution(plugin.id, progress.detection?.detectedBy ?? [], 'timeout', message),
      };
    }
    if (!result) return { outcome: { id: plugin.id, status: 'absent', durationMs: elapsed() } };
    const { detection, findings } = result;
    return {
      outcome: { id: plugin.id, status: 'found', durationMs: elapsed() },
      solution: fitSolution(plugin.id, { ...findings, detectedBy: detection.detectedBy }),
    };
  } catch (error) {
    const phase = progress.detection ? 'inspect' : 'detect';
    const message = truncate(`${phase} failed: ${describeError(error)}`, LIMITS.messageText);
    log.warn('plugin failed', { solution: plugin.id, phase, error: message });
    return {
      outcome: { id: plugin.id, status: 'failed', durationMs: elapsed(), error: message },
      solution: failedSolution(plugin.id, progress.detection?.detectedBy ?? [], `${phase}-failed`, message),
    };
  } finally {
    clearTimeout(timer);
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function collectReport(options: CollectOptions): Promise<CollectResult> {
  const { plugins, host, log } = options;
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  const skip = new Set(options.skip ?? []);

  const active: { plugin: SolutionPlugin; host: Host }[] = [];
  const skipped: PluginOutcome[] = [];
  for (const plugin of plugins) {
    const pluginHost = options.hostFor ? options.hostFor(plugin.id) : host;
    if (skip.has(plugin.id) || !pluginHost) skipped.push({ id: plugin.id, status: 'skipped', durationMs: 0 });
    else active.push({ plugin, host: pluginHost });
  }

  const running = new Set(active.map(({ plugin }) => plugin.id));
  const report = () => options.onProgress?.({ done: active.length - running.size, total: active.length, running: [...running] });
  report();

  const runs = active.map(({ plugin, host: pluginHost }) => {
    const settings = options.settings[plugin.id];
    const context = (): PluginContext => {
      if (!settings) throw new Error(`no settings were given for ${plugin.id} (the config loader gives every plugin its own)`);
      return { host: pluginHost, options: { allowStateChanges: options.allowStateChanges, settings } };
    };
    return runPlugin(plugin, context, options.pluginTimeoutMs, log).then((run) => {
      running.delete(plugin.id);
      report();
      log.debug('plugin finished', { solution: plugin.id, status: run.outcome.status, durationMs: run.outcome.durationMs });
      return run;
    });
  });

  const [facts, results] = await abortable(
    Promise.all([collectHostFacts(host, options.system, options.hideHostDetails), Promise.all(runs)]),
    options.signal,
  );

  const outcomes = [...results.map((run) => run.outcome), ...skipped];
  const order = new Map(plugins.map((plugin, index) => [plugin.id, index]));
  outcomes.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));

  const solutions = results.flatMap((run) => (run.solution ? [run.solution] : [])).slice(0, LIMITS.solutionsPerReport);
  const built = fitReportSize(
    {
      reportId: (options.newReportId ?? randomUUID)(),
      agentVersion: truncate(options.agentVersion, 64),
      host: facts,
      collectedAt,
      solutions,
      ...(options.delivery ? { delivery: options.delivery } : {}),
      ...(options.health ? { agentHealth: agentHealthOf(options.agentVersion, outcomes, options.health, options.hideHostDetails) } : {}),
      ...(options.update ? { update: options.update } : {}),
    },
    REPORT_BYTES_BUDGET,
  );

  const checked = reportSchema.safeParse(built);
  if (!checked.success) {
    // fit-to-limits should make this unreachable; if a solution still fails, keep the others.
    const broken = new Set(checked.error.issues.filter((issue) => issue.path[0] === 'solutions').map((issue) => issue.path[1]));
    built.solutions = built.solutions.map((solution, index) =>
      broken.has(index)
        ? failedSolution(solution.id, solution.detectedBy, 'invalid-output', 'the plugin returned data outside the report protocol')
        : solution,
    );
    reportSchema.parse(built);
  }

  return { report: built, outcomes };
}
