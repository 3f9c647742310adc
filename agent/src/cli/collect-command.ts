// `vigil-agent collect [--json]`: one collection, printed; nothing is sent and nothing is spooled.
// Needs no key: a host can show what it would send before it is enrolled.
import type { Host } from '../host/host.js';
import { createLogger, type LogLevel } from '../log.js';
import type { CliArgs } from './args.js';
import type { CliDeps } from './deps.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { collectProgressText, createProgress } from './progress.js';
import { collectWith, countReport, loadConfigFor, printConfigError, solutionLines } from './shared.js';

export async function collectCommand(args: CliArgs, deps: CliDeps): Promise<ExitCode> {
  const loaded = await loadConfigFor(args, deps, false);
  if (!('config' in loaded)) {
    printConfigError(deps, loaded);
    return EXIT.config;
  }
  const { config, warnings } = loaded;
  const progress = createProgress(deps.stderr);
  // stdout carries the result: logs go to stderr, warnings and worse only (debug when asked for).
  const level: LogLevel = config.logLevel === 'debug' ? 'debug' : 'warn';
  const log = createLogger(level, (line) => progress.around(() => deps.stderr.write(`${line}\n`)), deps.now);
  for (const warning of warnings) log.warn(warning);

  let hostFor: ((id: string) => Host | undefined) | undefined;
  if (Object.keys(args.fixtures).length > 0) {
    const hosts = new Map(Object.entries(args.fixtures).map(([id, dir]) => [id, deps.fixtureHost(dir)]));
    hostFor = (id) => hosts.get(id);
  }

  try {
    progress.update('collecting');
    const { report, outcomes } = await collectWith(config, deps, log, {
      onProgress: (event) => progress.update(collectProgressText(event)),
      ...(hostFor ? { hostFor } : {}),
    });
    progress.stop();
    if (args.json) {
      deps.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT.ok;
    }
    const counts = countReport(report);
    const lines = [
      `${report.host.hostname ?? 'this host'} (${[report.host.os, report.host.kernel, report.host.arch].filter(Boolean).join(', ')})`,
      ...solutionLines(report, outcomes),
      `${counts.solutions} solutions, ${counts.testsPassed} tests passed, ${counts.testsFailed} failed. Nothing was sent (collect --json prints the report).`,
    ];
    deps.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    progress.stop();
  }
}
