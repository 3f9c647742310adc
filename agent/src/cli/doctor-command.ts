// `vigil-agent doctor`: one line per check, ✓ or ✗ (! for a warning that does not fail):
// config, key and its file's permissions, endpoint reachable, key accepted (a probe that stores
// nothing), the relay's health when the endpoint is a relay, spool, then every solution with its
// test counts.
// Exit: 0 when every agent check passed; 3 config or key invalid; 5 key rejected; 1 anything else
// (endpoint unreachable, spool unreadable, a plugin that crashed or timed out). Failed solution
// tests are the tools' problems, not the agent's: they are shown but do not change the exit code.
import type { LoadedConfig } from '../config/load-config.js';
import { looksLikeRelay, queryRelayHealth } from '../relay/health-client.js';
import type { Logger } from '../log.js';
import type { CliArgs } from './args.js';
import type { CliDeps } from './deps.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { collectProgressText, createProgress } from './progress.js';
import { collectWith, deliveryConfig, errorText, loadConfigFor, MARK, solutionLines } from './shared.js';

/**
 * The relay's own view (its /healthz over the pinned connection): `✓ relay …: uplink reachable, …`,
 * `!` when its uplink is down or reports wait there (they are safe: it keeps retrying), `✗` when a
 * pinned relay does not answer. An unpinned endpoint that merely looks like a relay gets no line
 * when it is not one.
 */
async function relayStatusLine(endpoint: string, fingerprint: string | undefined): Promise<{ text: string; failed: boolean } | undefined> {
  const origin = new URL(endpoint).origin;
  try {
    const health = await queryRelayHealth(endpoint, fingerprint);
    const waiting = `${health.spooled} reports spooled, ${health.dropped} dropped`;
    const mark = !health.ok ? MARK.fail : health.uplink === 'unreachable' || health.spooled > 0 ? MARK.warn : MARK.ok;
    const uplink = health.uplink === 'unknown' ? 'uplink not used yet' : `uplink ${health.uplink}`;
    return {
      text: `${mark} relay ${origin} (vigil-agent ${health.version}${fingerprint ? ', certificate pinned' : ''}): ${uplink}, ${waiting}`,
      failed: !health.ok,
    };
  } catch (error) {
    if (!fingerprint) return undefined;
    return { text: `${MARK.fail} relay ${origin}: no health answer: ${errorText(error)}`, failed: true };
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Keeps what delivery and plugins log, so a problem they only log still turns a line red. */
function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const keep = (message: string, fields: Record<string, unknown> = {}) => {
    const reason = typeof fields.reason === 'string' ? `: ${fields.reason}` : '';
    errors.push(`${message}${reason}`);
  };
  return { errors, debug() {}, info() {}, warn() {}, error: keep };
}

export async function doctorCommand(args: CliArgs, deps: CliDeps): Promise<ExitCode> {
  const progress = createProgress(deps.stderr);
  const print = (line: string) => progress.around(() => deps.stdout.write(`${line}\n`));
  let code: ExitCode = EXIT.ok;
  const fail = (next: ExitCode) => {
    if (code === EXIT.ok) code = next;
  };

  print(`vigil-agent ${deps.version} doctor`);
  let loaded: LoadedConfig;
  const full = await loadConfigFor(args, deps, true);
  if ('config' in full) {
    loaded = full;
    const where = full.config.configPath ?? 'environment variables (no config file)';
    print(`${MARK.ok} config ${where} is valid`);
    const source = full.config.keySource!;
    if (source.kind === 'environment') print(`${MARK.ok} key from ${source.variable} (environment)`);
    else {
      const stat = await deps.host.stat(source.path);
      const what = source.kind === 'key-file' ? `key file ${source.path}` : `key inline in ${source.path}`;
      print(`${MARK.ok} ${what}: mode ${stat ? octal(stat.mode) : '?'}, owner uid ${stat?.uid ?? '?'}`);
    }
    for (const warning of full.warnings) print(`${MARK.warn} ${warning}`);
  } else {
    const keyProblem = full.kind === 'key';
    print(keyProblem ? `${MARK.ok} config ${full.source === 'environment' ? 'environment' : 'file'} parsed` : `${MARK.fail} config ${full.source}:`);
    if (keyProblem) print(`${MARK.fail} key ${full.source}:`);
    for (const problem of full.problems) print(`    ${problem}`);
    fail(EXIT.config);
    // Without a usable key nothing can be sent, but the solutions can still be checked.
    const partial = await loadConfigFor(args, deps, false);
    if (!('config' in partial)) return code;
    loaded = partial;
    print(`${MARK.none} endpoint, key and spool not checked: fix the config first`);
  }
  const { config } = loaded;

  if (code === EXIT.ok) {
    const log = recordingLogger();
    const delivery = deps.createDelivery(deliveryConfig(config), { log, random: deps.random });
    progress.update(`asking ${config.endpoint}`);
    const probe = await delivery.probe().catch((error: unknown) => ({ reachable: false, keyValid: undefined, message: errorText(error) }));
    progress.stop();
    if (probe.reachable) print(`${MARK.ok} endpoint ${config.endpoint} is reachable`);
    else {
      print(`${MARK.fail} endpoint ${config.endpoint}: ${probe.message}`);
      fail(EXIT.failure);
    }
    if (probe.keyValid === true) print(`${MARK.ok} key accepted by the server`);
    else if (probe.keyValid === false) {
      print(`${MARK.fail} key rejected by the server: ${probe.message}`);
      fail(EXIT.keyRejected);
    } else {
      print(`${MARK.fail} key not checked: ${probe.reachable ? probe.message : 'the server could not be reached'}`);
      fail(EXIT.failure);
    }
    if (config.relayFingerprint || looksLikeRelay(config.endpoint)) {
      progress.update('asking the relay');
      const line = await relayStatusLine(config.endpoint, config.relayFingerprint);
      progress.stop();
      if (line) {
        print(line.text);
        if (line.failed) fail(EXIT.failure);
      }
    }
    try {
      const status = await delivery.status();
      const spoolErrors = log.errors.filter((error) => error.includes('spool'));
      if (spoolErrors.length) {
        print(`${MARK.fail} spool ${config.spoolDir}: ${spoolErrors[0]}`);
        fail(EXIT.failure);
      } else {
        const mark = status.spooled > 0 || status.dropped > 0 ? MARK.warn : MARK.ok;
        const kib = Math.ceil(status.bytes / 1024);
        print(`${mark} spool ${config.spoolDir}: ${status.spooled} reports waiting (${kib} KiB), ${status.dropped} dropped so far`);
      }
    } catch (error) {
      print(`${MARK.fail} spool ${config.spoolDir}: ${errorText(error)}`);
      fail(EXIT.failure);
    }
  }

  progress.update('collecting');
  const { report, outcomes } = await collectWith(config, deps, recordingLogger(), {
    onProgress: (event) => progress.update(collectProgressText(event)),
  });
  progress.stop();
  for (const line of solutionLines(report, outcomes)) print(line);
  if (report.solutions.length === 0) print(`${MARK.warn} no security solution found on this host`);
  if (outcomes.some((outcome) => outcome.status === 'failed' || outcome.status === 'timed-out')) fail(EXIT.failure);
  return code;
}
