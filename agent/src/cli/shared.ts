// Pieces every command uses: loading the config (printing its problems), collecting with it, and
// the one-line-per-solution summary a person reads.
import type { ReportInput } from '@vigil/schema';
import { collectReport, type CollectOptions, type CollectResult, type HealthFacts, type PluginOutcome } from '../collect/collect.js';
import { ConfigError, loadConfig, type AgentConfig, type LoadedConfig } from '../config/load-config.js';
import type { DeliveryConfig } from '../delivery/delivery.js';
import type { Logger } from '../log.js';
import type { CliArgs } from './args.js';
import { REQUEST_TIMEOUT_MS, type CliDeps } from './deps.js';

export const MARK = { ok: '✓', fail: '✗', warn: '!', none: '–' } as const;

export async function loadConfigFor(args: CliArgs, deps: CliDeps, requireCredentials: boolean): Promise<LoadedConfig | ConfigError> {
  try {
    return await loadConfig({
      host: deps.host,
      env: deps.env,
      requireCredentials,
      plugins: deps.plugins,
      ...(args.configPath !== undefined ? { path: args.configPath } : {}),
      ...(deps.agentUid !== undefined ? { agentUid: deps.agentUid } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

export function printConfigError(deps: CliDeps, error: ConfigError): void {
  deps.stderr.write(`vigil-agent: invalid config (${error.source}):\n`);
  for (const problem of error.problems) deps.stderr.write(`  ${problem}\n`);
}

export function deliveryConfig(config: AgentConfig): DeliveryConfig {
  return {
    endpoint: config.endpoint,
    key: config.key,
    spoolDir: config.spoolDir,
    maxSpooledReports: config.spoolMaxReports,
    maxSpoolBytes: config.spoolMaxBytes,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    ...(config.relayFingerprint ? { pinnedFingerprint: config.relayFingerprint } : {}),
    // A key read from key_file can rotate (rotation/agent-keys.ts); an inline one cannot.
    ...(config.keySource?.kind === 'key-file' ? { keyFile: config.keySource.path } : {}),
  };
}

/**
 * Collects with the config's settings. The report carries `agentHealth` unless send_agent_health is
 * off: plugin times always, uptime from deps, spool and crashes when the caller passes them.
 */
export function collectWith(
  config: AgentConfig,
  deps: CliDeps,
  log: Logger,
  extra: Partial<Omit<CollectOptions, 'health'>> & { health?: Omit<HealthFacts, 'uptimeSeconds'> } = {},
): Promise<CollectResult> {
  const { health, ...rest } = extra;
  const uptimeSeconds = (deps.uptimeSeconds ?? (() => process.uptime()))();
  return collectReport({
    plugins: deps.plugins,
    host: deps.host,
    skip: config.skipSolutions,
    allowStateChanges: config.allowStateChanges,
    settings: config.solutions,
    pluginTimeoutMs: config.pluginTimeoutSeconds * 1000,
    agentVersion: deps.version,
    log,
    hideHostDetails: config.hideHostDetails,
    ...(config.sendAgentHealth ? { health: { uptimeSeconds, ...health } } : {}),
    ...(deps.system ? { system: deps.system } : {}),
    ...rest,
  });
}

export interface ReportCounts {
  solutions: number;
  testsPassed: number;
  testsFailed: number;
  errors: number;
}

export function countReport(report: ReportInput): ReportCounts {
  const tests = report.solutions.flatMap((solution) => solution.tests);
  return {
    solutions: report.solutions.length,
    testsPassed: tests.filter((test) => test.passed).length,
    testsFailed: tests.filter((test) => !test.passed).length,
    errors: report.solutions.reduce((sum, solution) => sum + (solution.errors?.length ?? 0), 0),
  };
}

/**
 * One line per solution found (✓ when every test passed and nothing failed), its failed tests and
 * errors indented below, then the solutions not found and the ones skipped.
 */
export function solutionLines(report: ReportInput, outcomes: PluginOutcome[]): string[] {
  const lines: string[] = [];
  for (const solution of report.solutions) {
    const failed = solution.tests.filter((test) => !test.passed);
    const errors = solution.errors ?? [];
    const ok = failed.length === 0 && errors.length === 0;
    const version = solution.version ? ` ${solution.version}` : '';
    const found = solution.detectedBy?.length ? ` (found by ${solution.detectedBy.join(', ')})` : '';
    const tests = solution.tests.length ? `${solution.tests.length - failed.length}/${solution.tests.length} tests passed` : 'no tests';
    lines.push(`${ok ? MARK.ok : MARK.fail} ${solution.id}${version}${found}: ${tests}`);
    for (const test of failed) lines.push(`    ${MARK.fail} ${test.id} (${test.type}): ${test.message}`);
    for (const error of errors) lines.push(`    ${MARK.fail} error${error.code ? ` ${error.code}` : ''}: ${error.message}`);
  }
  const absent = outcomes.filter((outcome) => outcome.status === 'absent').map((outcome) => outcome.id);
  const skipped = outcomes.filter((outcome) => outcome.status === 'skipped').map((outcome) => outcome.id);
  if (absent.length) lines.push(`${MARK.none} not found: ${absent.join(', ')}`);
  if (skipped.length) lines.push(`${MARK.none} skipped: ${skipped.join(', ')}`);
  return lines;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
