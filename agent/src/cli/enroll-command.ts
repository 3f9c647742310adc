// `vigil-agent enroll`: exchanges an enrollment token for this machine's own agent key.
//   token (--token, else VIGIL_ENROLLMENT_TOKEN) → endpoint (--endpoint, else the config's) → labels
//   → the config file and key file it will write, checked writable BEFORE the token is spent
//   → POST enrollAgent (the ingest's sibling, or the relay's /enroll) → key file (0600, atomic)
//   → config (endpoint, key_file; everything else kept) → what happened and what to do next.
// The key is never printed, logged or passed on a command line; the token is never printed either.
import {
  isInsecureHttpUrl,
  labelsProblem,
  normalizeFingerprint,
  parseEnrollmentToken,
  parseLabel,
  type AgentLabels,
  type EnrollAgentResult,
} from '@vigil/schema';
import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { applyEnvironment, ConfigError, MAX_CONFIG_BYTES, resolveConfigPath } from '../config/load-config.js';
import { pinnedFetch } from '../delivery/pinned-fetch.js';
import { writeFileAtomic } from '../enroll/atomic-write.js';
import { ConfigUpdateError, newConfigText, updateConfigText } from '../enroll/config-update.js';
import { EnrollUrlError, enrollUrlFor } from '../enroll/enroll-url.js';
import { classifyEnrollAnswer, postEnrollment } from '../enroll/enroll-request.js';
import { machineIdHash, MachineIdError } from '../enroll/machine-id.js';
import type { CliArgs, EnrollArgs } from './args.js';
import { REQUEST_TIMEOUT_MS, type CliDeps } from './deps.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { errorText } from './shared.js';

/** The variable install.sh passes the token in, so it is not in the process list as --token would be. */
export const ENROLLMENT_TOKEN_VARIABLE = 'VIGIL_ENROLLMENT_TOKEN';

/** A problem found before anything was sent: its message and exit code. */
class EnrollProblem extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
  }
}

interface ExistingConfig {
  text: string | undefined;
  mode: number | undefined;
  /** The file's values with the agent's VIGIL_* overrides applied (applyEnvironment), as the agent will see them. */
  values: Record<string, unknown>;
  /** The variable behind each overridden field, to name it in an error. */
  sources: Map<string, string>;
}

/** The file's values, then the environment's overrides: the same precedence as loadConfig. */
function withEnvironment(values: Record<string, unknown>, env: Record<string, string | undefined>): Map<string, string> {
  try {
    return applyEnvironment(values, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new EnrollProblem(error.message, EXIT.config);
    throw error;
  }
}

async function readExistingConfig(configPath: string, env: Record<string, string | undefined>): Promise<ExistingConfig> {
  const info = await stat(configPath).catch((error: NodeJS.ErrnoException) => {
    // ENOTDIR: a parent is a file; checkWritable names that problem below.
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new EnrollProblem(`cannot read the config ${configPath}: ${error.code ?? errorText(error)}`, EXIT.config);
  });
  if (!info) {
    const values: Record<string, unknown> = {};
    return { text: undefined, mode: undefined, sources: withEnvironment(values, env), values };
  }
  if (!info.isFile()) throw new EnrollProblem(`the config ${configPath} is not a regular file`, EXIT.config);
  if (info.size > MAX_CONFIG_BYTES) throw new EnrollProblem(`the config ${configPath} is larger than ${MAX_CONFIG_BYTES} bytes`, EXIT.config);
  const text = await readFile(configPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new EnrollProblem(`cannot read the config ${configPath}: ${error.code ?? errorText(error)} (enroll runs as root)`, EXIT.config);
  });
  const document = parseDocument(text, { uniqueKeys: true });
  const root: unknown = document.errors.length === 0 ? document.toJS() : undefined;
  const values: Record<string, unknown> = root && typeof root === 'object' && !Array.isArray(root) ? Object.fromEntries(Object.entries(root)) : {};
  return { text, mode: info.mode & 0o777, sources: withEnvironment(values, env), values };
}

function tokenFrom(options: EnrollArgs, env: Record<string, string | undefined>): string {
  const token = options.token ?? env[ENROLLMENT_TOKEN_VARIABLE];
  if (token === undefined || token.trim() === '') {
    throw new EnrollProblem(
      `enroll needs an enrollment token: set ${ENROLLMENT_TOKEN_VARIABLE} (which keeps it out of the process list) or pass --token TOKEN`,
      EXIT.usage,
    );
  }
  // Never quoted: a mistyped token is still most of a secret.
  if (!parseEnrollmentToken(token)) {
    throw new EnrollProblem('the enrollment token is not one (expected vgle_<token id>_<secret>, as the dashboard shows it once)', EXIT.usage);
  }
  return token.trim();
}

function labelsFrom(texts: readonly string[]): AgentLabels {
  const entries: [string, string][] = [];
  for (const text of texts) {
    const label = parseLabel(text);
    if (!label) throw new EnrollProblem(`--label wants key=value, got ${JSON.stringify(text.slice(0, 80))}`, EXIT.usage);
    if (entries.some(([key]) => key === label.key)) throw new EnrollProblem(`--label ${label.key} is given twice`, EXIT.usage);
    entries.push([label.key, label.value]);
  }
  const labels = Object.fromEntries(entries);
  const problem = labelsProblem(labels);
  if (problem) throw new EnrollProblem(`--label: ${problem}`, EXIT.usage);
  return labels;
}

function stringField(values: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(values, name) ? values[name] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The config and key file directories exist (made 0700 if not) and can be written: checked before the token is spent. */
async function checkWritable(dirs: string[]): Promise<void> {
  for (const dir of new Set(dirs)) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await access(dir, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? errorText(error);
      throw new EnrollProblem(`cannot write in ${dir} (${code}): enroll writes the config and key file there; run it as root`, EXIT.config);
    }
  }
}

interface Plan {
  token: string;
  url: string;
  labels: AgentLabels;
  pin: string | undefined;
  configPath: string;
  keyFile: string;
  configText: string;
  configMode: number;
  configExisted: boolean;
  /** hide_host_details (or VIGIL_HIDE_HOST_DETAILS) names hostname: the host name is not even read. */
  hideHostname: boolean;
}

async function plan(args: CliArgs, deps: CliDeps): Promise<Plan> {
  const options = args.enroll ?? { labels: [] };
  const token = tokenFrom(options, deps.env);
  const labels = labelsFrom(options.labels);
  const { path: configPath } = resolveConfigPath(args.configPath, deps.env);
  const existing = await readExistingConfig(configPath, deps.env);

  const endpoint = options.endpoint?.trim() || stringField(existing.values, 'endpoint');
  if (!endpoint) throw new EnrollProblem(`enroll needs --endpoint URL (${configPath} names none)`, EXIT.usage);
  let url: string;
  try {
    url = enrollUrlFor(endpoint);
  } catch (error) {
    if (error instanceof EnrollUrlError) throw new EnrollProblem(error.message, EXIT.usage);
    throw error;
  }
  if (isInsecureHttpUrl(endpoint) && existing.values.allow_insecure_http !== true) {
    throw new EnrollProblem(
      `--endpoint ${new URL(endpoint).origin}: plain http:// to another machine would send the token and the key unencrypted; use https://`,
      EXIT.usage,
    );
  }

  let pin: string | undefined;
  if (options.relayFingerprint !== undefined) {
    pin = normalizeFingerprint(options.relayFingerprint);
    if (!pin) throw new EnrollProblem('--relay-fingerprint must be the SHA-256 of the relay certificate: 64 hex digits, colons allowed', EXIT.usage);
  } else {
    // A pin that is there but malformed is refused: read as none, it would turn pinning off.
    const known = stringField(existing.values, 'relay_fingerprint');
    pin = known ? normalizeFingerprint(known) : undefined;
    if (known && !pin) {
      const where = existing.sources.get('relay_fingerprint') ?? `relay_fingerprint in ${configPath}`;
      throw new EnrollProblem(`${where} must be the SHA-256 of the relay certificate: 64 hex digits, colons allowed`, EXIT.config);
    }
  }
  if (pin && !endpoint.startsWith('https://')) throw new EnrollProblem("a relay's pinned certificate needs an https:// endpoint", EXIT.usage);

  // Beside the config unless the config names another: /etc/vigil/agent.yaml → /etc/vigil/key.
  const named = stringField(existing.values, 'key_file');
  const keyFile = named && path.isAbsolute(named) ? named : path.join(path.dirname(configPath), 'key');
  const fields = { endpoint, keyFile, ...(options.relayFingerprint !== undefined && pin ? { relayFingerprint: pin } : {}) };
  let configText: string;
  try {
    configText = existing.text === undefined ? newConfigText(fields) : updateConfigText(existing.text, fields);
  } catch (error) {
    if (error instanceof ConfigUpdateError) throw new EnrollProblem(`the config ${configPath} ${error.message}`, EXIT.config);
    throw error;
  }
  await checkWritable([path.dirname(configPath), path.dirname(keyFile)]);
  return {
    token,
    url,
    labels,
    pin,
    configPath,
    keyFile,
    configText,
    configMode: existing.mode ?? 0o600,
    configExisted: existing.text !== undefined,
    hideHostname: hidesHostname(existing.values),
  };
}

/** VIGIL_HIDE_HOST_DETAILS is in the values already (applyEnvironment). */
function hidesHostname(values: Record<string, unknown>): boolean {
  const hidden = Object.hasOwn(values, 'hide_host_details') ? values.hide_host_details : [];
  return Array.isArray(hidden) && hidden.includes('hostname');
}

/**
 * The name the new agent gets. With the host name hidden (docs/telemetry.md) a name from the hashed
 * machine id instead, which says nothing about the host and is the same at every enrollment.
 */
function agentName(planned: Plan, machineId: string, deps: CliDeps): string {
  return planned.hideHostname ? `host-${machineId.slice(0, 12)}` : (deps.system?.hostname() ?? hostname());
}

function summary(result: EnrollAgentResult, planned: Plan): string {
  const what = result.reused ? 'this machine was enrolled before: same agent, new key (its old key no longer works)' : 'a new agent';
  return [
    `Enrolled as ${result.name} (agent ${result.agentId}, key ${result.keyPrefix}, workspace ${result.workspaceId}): ${what}.`,
    `Key written to ${planned.keyFile} (mode 0600); ${planned.configPath} ${planned.configExisted ? 'updated' : 'created'}.`,
    'Next: start the agent (or restart it, if it runs): sudo systemctl restart vigil-agent',
    `      or send one report now: vigil-agent once --config ${planned.configPath}`,
    '',
  ].join('\n');
}

export async function enrollCommand(args: CliArgs, deps: CliDeps): Promise<ExitCode> {
  let planned: Plan;
  let machineId: string;
  try {
    planned = await plan(args, deps);
    machineId = await machineIdHash(deps.env);
  } catch (error) {
    if (error instanceof EnrollProblem) {
      deps.stderr.write(`vigil-agent: ${error.message}\n`);
      return error.code;
    }
    if (error instanceof MachineIdError) {
      deps.stderr.write(`vigil-agent: ${error.message}\n`);
      return EXIT.failure;
    }
    throw error;
  }

  const body = JSON.stringify({
    data: {
      machineId,
      hostname: agentName(planned, machineId, deps),
      agentVersion: deps.version,
      ...(Object.keys(planned.labels).length > 0 ? { labels: planned.labels } : {}),
    },
  });
  const fetchImpl = planned.pin ? pinnedFetch(planned.pin) : (deps.fetch ?? globalThis.fetch);
  const outcome = classifyEnrollAnswer(
    await postEnrollment({ fetch: fetchImpl, url: planned.url, token: planned.token, body, timeoutMs: REQUEST_TIMEOUT_MS }),
  );
  if (!outcome.ok) {
    const where = new URL(planned.url).origin;
    switch (outcome.kind) {
      case 'refused':
        deps.stderr.write(`vigil-agent: enrollment refused by ${where}: ${outcome.message}\n`);
        return EXIT.enrollmentRefused;
      case 'invalid':
        deps.stderr.write(`vigil-agent: ${where} refused the enrollment request: ${outcome.message}\n`);
        return EXIT.enrollmentRefused;
      case 'rate-limited':
        deps.stderr.write(`vigil-agent: ${where} is enrolling too many agents with this token just now: ${outcome.message}; try again shortly\n`);
        return EXIT.failure;
      case 'unavailable':
        // No answer (a timeout, a cut connection) or not the function's: the request may have been
        // served all the same. Enrolling again is safe: the same machine gets the same agent.
        deps.stderr.write(
          `vigil-agent: enrollment failed: ${outcome.message} (${planned.url}): nothing was written on this machine, but the server may have enrolled it; ` +
            'run enroll again (the same agent, a new key)\n',
        );
        return EXIT.failure;
    }
  }

  const { result } = outcome;
  try {
    await writeFileAtomic(planned.keyFile, `${result.key}\n`, 0o600);
    await writeFileAtomic(planned.configPath, planned.configText, planned.configMode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorText(error);
    deps.stderr.write(
      `vigil-agent: enrolled as ${result.name} (agent ${result.agentId}), but writing ${planned.keyFile} or ${planned.configPath} failed (${code}); ` +
        'fix that and enroll again: this machine gets the same agent and a new key\n',
    );
    return EXIT.config;
  }
  deps.stdout.write(summary(result, planned));
  return EXIT.ok;
}
