// Reads the agent config over the Host interface: the YAML file, then environment overrides, then
// the schema of @vigil/schema and each plugin's settings (`solutions.<id>`, plugins/settings.ts),
// then the key (inline or from key_file) with its file permissions.
// Every problem names its field, its line in the file or the variable it came from; none of them
// ever quotes the key or the text around it.
import {
  AGENT_CONFIG_DEFAULTS,
  API_KEY_PATTERN,
  agentConfigFileSchema,
  agentConfigWithoutCredentialsSchema,
  agentConfigIssues,
  type AgentConfigFile,
  type AgentLogLevel,
  type HostDetail,
  type KnownSolutionId,
  parseListenAddress,
  type RelayConfigFile,
} from '@vigil/schema';
import { resolve as resolvePath } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { FileStat, Host } from '../host/host.js';
import { allPlugins } from '../plugins/index.js';
import type { SolutionPlugin } from '../plugins/plugin.js';
import { ownRecord, yamlData } from '../host/own-data.js';
import { checkSolutionSettings, type PluginSettings } from '../plugins/settings.js';

export const DEFAULT_CONFIG_PATH = '/etc/vigil/agent.yaml';
/** The largest config file read (enroll reads it too, with the same limit). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Environment variables that override a field of the file. */
export const ENV_OVERRIDES = {
  VIGIL_ENDPOINT: 'endpoint',
  VIGIL_KEY: 'key',
  VIGIL_KEY_FILE: 'key_file',
  VIGIL_INTERVAL_SECONDS: 'interval_seconds',
  VIGIL_ALLOW_STATE_CHANGES: 'allow_state_changes',
  VIGIL_SKIP_SOLUTIONS: 'skip_solutions',
  VIGIL_SPOOL_DIR: 'spool_dir',
  VIGIL_LOG_LEVEL: 'log_level',
  VIGIL_RELAY_FINGERPRINT: 'relay_fingerprint',
  VIGIL_HIDE_HOST_DETAILS: 'hide_host_details',
  VIGIL_SEND_AGENT_HEALTH: 'send_agent_health',
  VIGIL_SENTRY_DSN: 'error_reporting_dsn',
  VIGIL_AUTO_UPDATE: 'auto_update',
  VIGIL_UPDATE_CHANNEL: 'update_channel',
} as const satisfies Record<string, keyof AgentConfigFile>;

export type KeySource = { kind: 'config-file'; path: string } | { kind: 'key-file'; path: string } | { kind: 'environment'; variable: 'VIGIL_KEY' };

/** The `relay:` section, for `vigil-agent relay` (agent/src/relay/). */
export interface RelayConfig {
  listen: { host: string; port: number };
  certFile: string | undefined;
  keyFile: string | undefined;
  stateDir: string;
  /** The ingest the relay forwards to: `relay.uplink`, else the top-level `endpoint`. */
  uplink: string | undefined;
  spoolMaxReports: number;
  spoolMaxBytes: number;
  /** What one key id may hold in the relay's spool. */
  spoolMaxReportsPerKey: number;
  spoolMaxBytesPerKey: number;
  rateLimitPerMinute: number;
  rateLimitBurst: number;
}

export interface AgentConfig {
  /** The file read, or undefined when the config came from the environment alone. */
  configPath: string | undefined;
  endpoint: string;
  /** Not enumerable: JSON.stringify and log fields never carry it. Empty when loaded without credentials. */
  key: string;
  keySource: KeySource | undefined;
  intervalSeconds: number;
  allowStateChanges: boolean;
  skipSolutions: KnownSolutionId[];
  /**
   * Every plugin's settings by its id: `solutions.<id>` checked by the plugin's schema, with its
   * defaults filled in (all defaults for a solution the file does not name). Collection hands them
   * to the plugins as they are.
   */
  solutions: PluginSettings;
  spoolDir: string;
  spoolMaxReports: number;
  spoolMaxBytes: number;
  pluginTimeoutSeconds: number;
  logLevel: AgentLogLevel;
  /** The relay's pinned certificate (SHA-256, lowercase hex) when `endpoint` is a relay. */
  relayFingerprint: string | undefined;
  relay: RelayConfig | undefined;
  /** Host details left out of every report (`hide_host_details`). */
  hideHostDetails: HostDetail[];
  /** Whether reports carry `agentHealth` (`send_agent_health`). */
  sendAgentHealth: boolean;
  /** The operator's own Sentry, for the agent's crashes; undefined means error reporting is off. */
  errorReportingDsn: string | undefined;
  /** `allow_insecure_http`: plain http:// to another machine (the endpoint, an offered update's URL). */
  allowInsecureHttp: boolean;
  /** `auto_update`: whether `run` installs the version an ingest reply offers (agent/src/update/). */
  autoUpdate: boolean;
  /** `update_channel`: `stable` (follow the offer) or the one version to move to. */
  updateChannel: string;
}

export interface LoadedConfig {
  config: AgentConfig;
  /** Things a person should fix that do not stop the agent, like a group-readable key file. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(
    /** The config file, or a description of where the config came from. */
    readonly source: string,
    /** One line per problem: `interval_seconds: must be at least 60 (line 4)`. */
    readonly problems: string[],
    /** `key`: the key itself or the permissions of the file holding it; `config`: everything else. */
    readonly kind: 'config' | 'key' = 'config',
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  host: Host;
  /** From --config. */
  path?: string;
  env?: Record<string, string | undefined>;
  /**
   * False for commands that send nothing (`collect`): endpoint and key may be absent, the key is not
   * read, and a missing file at the default path means "all defaults".
   */
  requireCredentials?: boolean;
  /** The uid the agent runs as: the config and key files must be owned by root or by it (see checkWriters). */
  agentUid?: number;
  /** The plugins that will run (CliDeps.plugins), whose settings `solutions.<id>` holds; all of them when not given. */
  plugins?: readonly SolutionPlugin[];
}

export function resolveConfigPath(flag: string | undefined, env: Record<string, string | undefined>): { path: string; explicit: boolean } {
  if (flag) return { path: resolvePath(flag), explicit: true };
  if (env.VIGIL_CONFIG) return { path: resolvePath(env.VIGIL_CONFIG), explicit: true };
  return { path: DEFAULT_CONFIG_PATH, explicit: false };
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

interface FileDocument {
  values: Record<string, unknown>;
  /** Line of the value at a dotted path, for error messages. */
  lineOf(path: (string | number)[]): number | undefined;
}

async function readConfigFile(host: Host, path: string, stat: FileStat): Promise<FileDocument> {
  if (stat.isDirectory) throw new ConfigError(path, ['is a directory, not a config file']);
  if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError(path, [`is larger than ${MAX_CONFIG_BYTES} bytes`]);
  const text = await host.readFile(path, { maxBytes: MAX_CONFIG_BYTES });
  if (text === undefined) throw new ConfigError(path, ['cannot be read (permission denied? the agent runs as root)']);

  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    // The parser's own message quotes the lines around the error, which may hold the key: keep only
    // its first sentence and give the position ourselves.
    throw new ConfigError(
      path,
      document.errors.slice(0, 3).map((error) => {
        const position = error.pos ? lineCounter.linePos(error.pos[0]) : undefined;
        const where = position ? ` at line ${position.line}, column ${position.col}` : '';
        const reason = error.message.split(/ at line \d+|\n/)[0]!.trim();
        return `YAML syntax error${where}: ${reason}`;
      }),
    );
  }
  // Own keys only (own-data.ts): `__proto__:` in the file is an unknown field like any other.
  const root = yamlData(document);
  if (root !== null && root !== undefined && (typeof root !== 'object' || Array.isArray(root))) {
    throw new ConfigError(path, ['must be a YAML mapping of "field: value" lines']);
  }
  // `field:` with nothing after it (a list whose items were all commented out) means "unset".
  const values = ownRecord(Object.entries((root ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null));
  return {
    values,
    lineOf(fieldPath) {
      const node = document.getIn(fieldPath, true) as { range?: [number, number, number] } | undefined;
      const offset = node?.range?.[0];
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

function envValue(field: keyof AgentConfigFile, raw: string): unknown {
  switch (field) {
    case 'interval_seconds':
      return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    case 'allow_state_changes':
    case 'send_agent_health':
    case 'auto_update':
      return raw.trim() === 'true' ? true : raw.trim() === 'false' ? false : raw;
    case 'skip_solutions':
    case 'hide_host_details':
      return raw
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

/** Applies VIGIL_* overrides; returns the variable behind each overridden field. Enroll applies them too. */
export function applyEnvironment(values: Record<string, unknown>, env: Record<string, string | undefined>): Map<string, string> {
  const sources = new Map<string, string>();
  for (const [variable, field] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    // The key from the environment replaces the file's key, however the file gave it.
    if (field === 'key') delete values.key_file;
    if (field === 'key_file') delete values.key;
    values[field] = envValue(field, raw);
    sources.set(field, variable);
  }
  if (sources.has('key') && sources.has('key_file')) {
    throw new ConfigError('environment', ['set VIGIL_KEY or VIGIL_KEY_FILE, not both']);
  }
  return sources;
}

/**
 * Who may have written a file the agent trusts, which runs as root: its config decides which
 * programs run and where reports go, its key is its identity. Refused unless owned by root (or, when
 * the agent runs as another user, as in tests, by root or that user) and writable by its owner alone.
 * Without a known uid (no process.getuid) only the mode is checked.
 */
function checkWriters(what: string, path: string, stat: FileStat, agentUid: number | undefined, risk: string, problems: string[]): void {
  if (agentUid !== undefined && stat.uid !== 0 && stat.uid !== agentUid) {
    problems.push(
      agentUid === 0
        ? `${what} ${path} is owned by uid ${stat.uid}, not by root: run: chown root:root ${path}`
        : `${what} ${path} is owned by uid ${stat.uid}, not by root or the agent's user (uid ${agentUid}): run: chown ${agentUid} ${path}`,
    );
  }
  const fix = `run: chmod 600 ${path}`;
  if (stat.mode & 0o002) problems.push(`${what} ${path} is writable by every user (mode ${octal(stat.mode)}), so ${risk}: ${fix}`);
  else if (stat.mode & 0o020) problems.push(`${what} ${path} is writable by its group (mode ${octal(stat.mode)}), so ${risk}: ${fix}`);
}

/** Who may read a file holding the key: not every user (refused); its group gets a warning. */
function checkReaders(what: string, path: string, stat: FileStat, problems: string[], warnings: string[]): void {
  const fix = `run: chmod 600 ${path}`;
  if (stat.mode & 0o004) problems.push(`${what} ${path} is readable by every user (mode ${octal(stat.mode)}): ${fix}`);
  else if (stat.mode & 0o040) warnings.push(`${what} ${path} is readable by its group (mode ${octal(stat.mode)}): ${fix}`);
}

async function readKeyFile(host: Host, path: string, agentUid: number | undefined, warnings: string[]): Promise<string> {
  const stat = await host.stat(path);
  if (!stat) throw new ConfigError(path, ['key_file: no such file'], 'key');
  if (!stat.isFile) throw new ConfigError(path, ['key_file: not a regular file'], 'key');
  const problems: string[] = [];
  checkWriters('key_file', path, stat, agentUid, 'others could replace the key', problems);
  checkReaders('key_file', path, stat, problems, warnings);
  if (problems.length) throw new ConfigError(path, problems, 'key');
  const text = await host.readFile(path, { maxBytes: 4096 });
  if (text === undefined) throw new ConfigError(path, ['key_file: cannot be read'], 'key');
  const key = text.trim();
  if (!API_KEY_PATTERN.test(key)) {
    throw new ConfigError(path, ['key_file: does not hold a Vigil key (expected one line: vgl_<key id>_<secret>)'], 'key');
  }
  return key;
}

function relayConfig(relay: RelayConfigFile, endpoint: string | undefined): RelayConfig {
  return {
    listen: parseListenAddress(relay.listen)!,
    certFile: relay.cert_file,
    keyFile: relay.key_file,
    stateDir: relay.state_dir,
    uplink: relay.uplink ?? (endpoint || undefined),
    spoolMaxReports: relay.spool_max_reports,
    spoolMaxBytes: relay.spool_max_bytes,
    spoolMaxReportsPerKey: relay.spool_max_reports_per_key,
    spoolMaxBytesPerKey: relay.spool_max_bytes_per_key,
    rateLimitPerMinute: relay.rate_limit_per_minute,
    rateLimitBurst: relay.rate_limit_burst,
  };
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { host, env = {}, requireCredentials = true, agentUid } = options;
  const { path, explicit } = resolveConfigPath(options.path, env);
  const warnings: string[] = [];

  const stat = await host.stat(path);
  let document: FileDocument | undefined;
  let fileStat: FileStat | undefined;
  if (stat) {
    // Before a line of it is read: an untrusted file must not steer the agent at all.
    const problems: string[] = [];
    if (stat.isFile) checkWriters('config file', path, stat, agentUid, 'others could point the agent elsewhere', problems);
    if (problems.length) throw new ConfigError(path, problems);
    document = await readConfigFile(host, path, stat);
    fileStat = stat;
  } else if (explicit || (requireCredentials && !env.VIGIL_ENDPOINT)) {
    const hint = explicit ? '' : ' (create it, pass --config FILE, or set VIGIL_ENDPOINT and VIGIL_KEY)';
    throw new ConfigError(path, [`no such file${hint}`]);
  }

  const values = ownRecord(Object.entries(document?.values ?? {}));
  const sources = applyEnvironment(values, env);
  const source = document ? path : 'environment';

  const schema = requireCredentials ? agentConfigFileSchema : agentConfigWithoutCredentialsSchema;
  const parsed = schema.safeParse(values);
  // Checked even when the rest is not, so one run names every problem.
  const settings = checkSolutionSettings(options.plugins ?? allPlugins, values.solutions);
  const issues = [...(parsed.success ? [] : agentConfigIssues(parsed.error)), ...settings.issues];
  if (!parsed.success || issues.length > 0) {
    const problems = issues.map(({ path: fieldPath, message }) => {
      const field = fieldPath.split('.')[0] ?? '';
      const variable = sources.get(field);
      if (variable) return `${fieldPath} (from ${variable}): ${message}`;
      const line = fieldPath ? document?.lineOf(fieldPath.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part))) : undefined;
      return `${fieldPath || '(file)'}: ${message}${line ? ` (line ${line})` : ''}`;
    });
    throw new ConfigError(source, problems);
  }
  const file = parsed.data;

  let key = '';
  let keySource: KeySource | undefined;
  if (requireCredentials) {
    if (file.key !== undefined && sources.has('key')) {
      key = file.key;
      keySource = { kind: 'environment', variable: 'VIGIL_KEY' };
    } else if (file.key !== undefined) {
      // A key written into the config file makes the config file as secret as a key file.
      const problems: string[] = [];
      if (fileStat) checkReaders('config file holding the key', path, fileStat, problems, warnings);
      if (problems.length) throw new ConfigError(path, problems, 'key');
      key = file.key;
      keySource = { kind: 'config-file', path };
    } else if (file.key_file !== undefined) {
      key = await readKeyFile(host, file.key_file, agentUid, warnings);
      keySource = { kind: 'key-file', path: file.key_file };
    }
  }

  const config: AgentConfig = {
    configPath: document ? path : undefined,
    endpoint: file.endpoint ?? '',
    key: '',
    keySource,
    intervalSeconds: file.interval_seconds ?? AGENT_CONFIG_DEFAULTS.interval_seconds,
    allowStateChanges: file.allow_state_changes ?? AGENT_CONFIG_DEFAULTS.allow_state_changes,
    skipSolutions: (file.skip_solutions ?? []) as KnownSolutionId[],
    solutions: settings.settings,
    spoolDir: file.spool_dir ?? AGENT_CONFIG_DEFAULTS.spool_dir,
    spoolMaxReports: file.spool_max_reports ?? AGENT_CONFIG_DEFAULTS.spool_max_reports,
    spoolMaxBytes: file.spool_max_bytes ?? AGENT_CONFIG_DEFAULTS.spool_max_bytes,
    pluginTimeoutSeconds: file.plugin_timeout_seconds ?? AGENT_CONFIG_DEFAULTS.plugin_timeout_seconds,
    logLevel: file.log_level ?? AGENT_CONFIG_DEFAULTS.log_level,
    relayFingerprint: file.relay_fingerprint,
    relay: file.relay && relayConfig(file.relay, file.endpoint),
    hideHostDetails: [...new Set(file.hide_host_details ?? [])],
    sendAgentHealth: file.send_agent_health ?? AGENT_CONFIG_DEFAULTS.send_agent_health,
    errorReportingDsn: file.error_reporting_dsn?.trim() || undefined,
    allowInsecureHttp: file.allow_insecure_http ?? AGENT_CONFIG_DEFAULTS.allow_insecure_http,
    autoUpdate: file.auto_update ?? AGENT_CONFIG_DEFAULTS.auto_update,
    updateChannel: file.update_channel ?? AGENT_CONFIG_DEFAULTS.update_channel,
  };
  Object.defineProperty(config, 'key', { value: key, enumerable: false, writable: false });
  return { config, warnings };
}
