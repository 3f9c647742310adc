// Vector (vectordotdev/vector): which configuration the service loads, its sources, transforms and
// sinks, and Vector's own `validate`, run with the environment the service gets. Credentials in sink
// settings and the values of that environment are never reported.
import type { ConfigurationValue } from '@vigil/schema';
import { parseDocument } from 'yaml';
import type { Host } from '../host/host.js';
import { parseEnvironmentFile, parseToml } from './config-parsers.js';
import { ownRecord, parseJsonData, yamlData, type OwnRecord } from '../host/own-data.js';
import { runTest, type PluginContext, type SolutionFindings, type SolutionPlugin } from './plugin.js';
import { firstLine, timedOutMessage } from './lib/command.js';
import { firstFile, ifDetected, probeInstall, type Installation } from './lib/install.js';
import { isRecord, keySegment } from './lib/report.js';
import { serviceVerdict } from './lib/service.js';
import { firstVersion } from './lib/text.js';
import { absolutePath, settingsSchema, type SettingsOf } from './settings.js';

const DEFAULT_CONFIGS = ['/etc/vector/vector.yaml', '/etc/vector/vector.yml', '/etc/vector/vector.toml', '/etc/vector/vector.json'];
const ENVIRONMENT_FILE = '/etc/default/vector';
const VALIDATE_TIMEOUT_MS = 60_000;
const KINDS = [
  ['sources', 'source'],
  ['transforms', 'transform'],
  ['sinks', 'sink'],
] as const;

/**
 * The component settings reported (besides `type` and `inputs`): where a source reads and a sink
 * writes. `endpoints` is Elasticsearch's list, `uri` the HTTP sink's, `address` a socket's.
 */
const LOCATION_FIELDS = ['endpoint', 'endpoints', 'uri', 'address', 'path', 'include'] as const;

/** The absolute paths in VECTOR_CONFIG of the parsed environment file (comma-separated). */
function configFromVariables(variables: Record<string, string>): string[] {
  return (variables.VECTOR_CONFIG ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file.startsWith('/'));
}

/**
 * Config files named by VECTOR_CONFIG in /etc/default/vector (the packaged unit reads that file with
 * EnvironmentFile=, so it is read by systemd's rules: `export VECTOR_CONFIG=...` sets nothing).
 */
export function configFromEnvironmentFile(text: string): string[] {
  return configFromVariables(parseEnvironmentFile(text));
}

/** A Vector config file as a table of own keys (own-data.ts), by extension. */
export function parseVectorConfig(file: string, text: string): { config: OwnRecord } | { error: string } {
  try {
    if (file.endsWith('.toml')) return { config: parseToml(text) };
    if (file.endsWith('.json')) {
      let parsed: unknown;
      try {
        parsed = parseJsonData(text);
      } catch (error) {
        // Newer Nodes quote the text around the error, which may be a secret: give the position only.
        const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
        return { error: `not valid JSON${position ? ` (at position ${position})` : ''}` };
      }
      return isRecord(parsed) ? { config: parsed } : { error: 'the top level is not an object' };
    }
    const document = parseDocument(text, { prettyErrors: false });
    if (document.errors.length > 0) return { error: document.errors[0]!.message.split('\n')[0]! };
    const parsed = yamlData(document);
    if (parsed == null) return { config: ownRecord() };
    return isRecord(parsed) ? { config: parsed } : { error: 'the top level is not a mapping' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * An endpoint without credentials: `https://user:token@host/x?api_key=…` → `https://host/x`. Query
 * strings go too: sinks often carry tokens there, and the path is enough to tell where logs go.
 * Anything else (a path, `host:port`) is kept as it is.
 */
export function withoutCredentials(url: string): string {
  // A path (`include` globs) is not a URL: its `?` is a wildcard.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/i, '$1').replace(/[?#].*$/, '');
}

/** The reasons `vector validate` prints after "x ". */
export function validateErrors(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^\s*x\s+(.*)$/.exec(line)?.[1]?.trim())
    .filter((line): line is string => Boolean(line));
}

/**
 * The variables a failed validate names as missing: `x Missing environment variable in config. name =
 * "X"`, the `${X?}`/`${X:?}` forms, and the older `env var` wording of the same errors.
 */
export function missingVariables(reasons: string[]): string[] {
  const names = reasons
    .map((reason) => /\b(?:Missing|Non-empty) (?:environment variable|env var)(?: required)? in config\. name = "([^"]+)"/.exec(reason)?.[1])
    .filter((name): name is string => Boolean(name));
  return [...new Set(names)];
}

/**
 * The text with every value of the environment file replaced by its name: Vector may quote an
 * interpolated value in an error, and those values are often tokens. VECTOR_CONFIG stays (its files are
 * reported anyway), and so do values under 4 characters (they would blank out ordinary words and
 * numbers, and are no secret worth the name).
 */
export function withoutEnvironmentValues(text: string, environment: Record<string, string>): string {
  return Object.entries(environment)
    .filter(([name, value]) => name !== 'VECTOR_CONFIG' && value.length >= 4)
    .sort(([, a], [, b]) => b.length - a.length)
    .reduce((result, [name, value]) => result.split(value).join(`<value of ${name}>`), text);
}

export const vectorSettings = settingsSchema({
  /** The one config file, instead of VECTOR_CONFIG and the default locations. */
  configPath: absolutePath.optional(),
});

type VectorSettings = SettingsOf<typeof vectorSettings>;

/** /etc/default/vector: its text (undefined when absent or unreadable), its variables, and why they are not used. */
interface EnvironmentFile {
  text: string | undefined;
  variables: Record<string, string>;
  untrusted?: string;
}

/**
 * The file's variables go to commands the agent runs as root, so they are used only when root alone
 * can write the file (systemd may hand them to a service that runs as another user).
 */
async function readEnvironmentFile(host: Host): Promise<EnvironmentFile> {
  const text = await host.readFile(ENVIRONMENT_FILE);
  if (text === undefined) return { text, variables: ownRecord() };
  const stat = await host.stat(ENVIRONMENT_FILE);
  const fix = `Run: chown root:root ${ENVIRONMENT_FILE}; chmod 644 ${ENVIRONMENT_FILE}`;
  const why =
    stat === undefined
      ? undefined
      : stat.uid !== 0
        ? `is owned by uid ${stat.uid}, not root`
        : (stat.mode & 0o022) !== 0
          ? `is writable by other users than root (mode 0${(stat.mode & 0o777).toString(8).padStart(3, '0')})`
          : undefined;
  const variables = parseEnvironmentFile(text);
  if (why === undefined) return { text, variables };
  // VECTOR_CONFIG still names the files to read (reading is harmless); nothing goes to a command.
  const names = ownRecord(variables.VECTOR_CONFIG === undefined ? [] : [['VECTOR_CONFIG', variables.VECTOR_CONFIG] as const]);
  return {
    text,
    variables: names,
    untrusted: `${ENVIRONMENT_FILE} ${why}: vector validate ran without its variables, which the agent (root) would otherwise pass on. ${fix}`,
  };
}

/** The config files the service loads: the setting, else VECTOR_CONFIG of the environment file, else a default. */
async function configPaths(host: Host, settings: VectorSettings, environment: Record<string, string>): Promise<string[]> {
  const configured = settings.configPath;
  if (configured) return [configured];
  const fromEnvironment = configFromVariables(environment);
  if (fromEnvironment.length > 0) return fromEnvironment;
  const found = await firstFile(host, DEFAULT_CONFIGS);
  return found ? [found] : [];
}

/** The installation, with the environment file the service reads and the config files it loads. */
interface VectorInstallation extends Installation {
  environmentFile: EnvironmentFile;
  paths: string[];
}

export const vectorPlugin: SolutionPlugin<typeof vectorSettings, VectorInstallation> = {
  id: 'vector',
  settings: vectorSettings,

  async detect({ host, options }) {
    // Read once: it names the config files (VECTOR_CONFIG) and holds the variables validate needs.
    const environmentFile = await readEnvironmentFile(host);
    const paths = await configPaths(host, options.settings, environmentFile.variables);
    const install = await probeInstall(host, {
      packages: ['vector'],
      binaries: ['vector'],
      units: ['vector.service'],
      configs: paths.length > 0 ? paths : DEFAULT_CONFIGS,
    });
    return ifDetected({ ...install, environmentFile, paths });
  },

  async inspect({ host, options }: PluginContext<VectorSettings>, install): Promise<SolutionFindings> {
    const errors: SolutionFindings['errors'] = [];
    const { environmentFile, paths } = install;
    const vector = install.binaries.vector;
    const configuration: Record<string, ConfigurationValue> = {};
    const metrics: Record<string, number> = {};
    const tests: SolutionFindings['tests'] = [];

    // "vector 0.43.1 (x86_64-unknown-linux-gnu e30bf1f 2024-12-10 16:14:47.175528383)"
    let version: string | null = null;
    if (vector) {
      const result = await host.run(vector, ['--version'], { timeoutMs: 10_000 });
      version = firstVersion(result.stdout) ?? null;
    }
    version ??= install.packageVersion ?? null;

    configuration.configFiles = paths;
    const names: Record<string, string[]> = { sources: [], transforms: [], sinks: [] };
    for (const file of paths) {
      const text = await host.readFile(file);
      if (text === undefined) {
        errors.push({ code: 'config-unreadable', message: `${file} cannot be read` });
        continue;
      }
      const parsed = parseVectorConfig(file, text);
      if ('error' in parsed) {
        errors.push({ code: 'config-unparsable', message: `${file}: ${parsed.error}` });
        continue;
      }
      const config = parsed.config;
      for (const [section, kind] of KINDS) {
        const components = config[section];
        if (!isRecord(components)) continue;
        for (const [name, component] of Object.entries(components).slice(0, 50)) {
          names[section]!.push(name);
          if (!isRecord(component)) continue;
          const key = `${kind}.${keySegment(name)}`;
          if (typeof component.type === 'string') configuration[key] = component.type;
          if (kind !== 'source' && Array.isArray(component.inputs)) {
            configuration[`${key}.inputs`] = component.inputs.filter((input): input is string => typeof input === 'string').slice(0, 50);
          }
          // Where data comes from and goes to, and nothing else of a component (its auth, headers,
          // request options and VRL stay on the host): every value without its credentials.
          for (const field of LOCATION_FIELDS) {
            const value = component[field];
            if (typeof value === 'string') configuration[`${key}.${field}`] = withoutCredentials(value);
            else if (Array.isArray(value)) {
              configuration[`${key}.${field}`] = value
                .filter((item): item is string => typeof item === 'string')
                .slice(0, 50)
                .map(withoutCredentials);
            }
          }
        }
      }
      const api = config.api;
      if (isRecord(api)) {
        if (typeof api.enabled === 'boolean') configuration['api.enabled'] = api.enabled;
        if (typeof api.address === 'string') configuration['api.address'] = withoutCredentials(api.address);
      }
      if (typeof config.data_dir === 'string') configuration.data_dir = config.data_dir;
    }
    // vector.service runs with the variables of /etc/default/vector (EnvironmentFile=-/etc/default/vector),
    // which the config may use as ${VAR}: validate with them too, or a config the service loads fine
    // fails here. They go to the command only: messages never quote them (see withoutEnvironmentValues).
    const { text: environmentText, variables: environment, untrusted } = environmentFile;
    if (untrusted) errors.push({ code: 'environment-file-untrusted', message: untrusted });
    const withEnvironment = !untrusted && Object.keys(environment).length > 0 ? { env: environment } : {};
    /** Why validate failed, and which variables it missed that the environment file does not set. */
    const rejection = (result: { stdout: string; stderr: string; exitCode: number | null }, fallback: string | undefined) => {
      const reasons = validateErrors(`${result.stdout}\n${result.stderr}`);
      const why = reasons.length > 0 ? reasons.slice(0, 3).join('; ') : (fallback ?? `exit code ${result.exitCode}`);
      const unset = missingVariables(reasons).filter((name) => !Object.hasOwn(environment, name));
      const hint =
        unset.length === 0
          ? ''
          : environmentText === undefined
            ? ` (${ENVIRONMENT_FILE}, the environment file of vector.service, does not exist or cannot be read)`
            : ` (${ENVIRONMENT_FILE}, the environment file of vector.service, does not set ${unset.join(', ')})`;
      return withoutEnvironmentValues(`${why}${hint}`, environment);
    };

    configuration.sources = names.sources!;
    configuration.transforms = names.transforms!;
    configuration.sinks = names.sinks!;

    tests.push(
      await runTest(host, 'config-valid', 'requirement', async () => {
        if (paths.length === 0) return { passed: false, message: `no Vector configuration found (${DEFAULT_CONFIGS.join(', ')})` };
        if (!vector) return { passed: false, message: 'the vector binary is not installed, so its configuration cannot be validated' };
        const result = await host.run(vector, ['validate', '--no-environment', ...paths], { timeoutMs: VALIDATE_TIMEOUT_MS, ...withEnvironment });
        if (result.timedOut) return { passed: false, message: timedOutMessage('vector validate', VALIDATE_TIMEOUT_MS) };
        if (result.exitCode === 0) return { passed: true, message: `vector validate: ${paths.join(', ')} validated` };
        return { passed: false, message: `vector validate rejects ${paths.join(', ')}: ${rejection(result, firstLine(result.stderr))}` };
      }),
    );

    const service = await serviceVerdict(host, { label: 'vector', unit: 'vector.service', processNames: ['vector'] });
    tests.push(await runTest(host, 'service-running', 'operational', async () => ({ passed: service.running, message: service.message })));

    if (options.allowStateChanges && vector && paths.length > 0 && names.sinks!.length > 0) {
      // A full validate creates a scratch directory under data_dir and runs every sink's health check
      // against the real destinations: opt-in.
      tests.push(
        await runTest(host, 'sinks-reachable', 'integration', async () => {
          // The health checks need the same credentials the service has.
          const result = await host.run(vector, ['validate', ...paths], { timeoutMs: VALIDATE_TIMEOUT_MS, ...withEnvironment });
          if (result.timedOut) return { passed: false, message: timedOutMessage('vector validate', VALIDATE_TIMEOUT_MS) };
          if (result.exitCode === 0) return { passed: true, message: `every sink's health check passed (${names.sinks!.join(', ')})` };
          return { passed: false, message: `vector validate: ${rejection(result, undefined)}` };
        }),
      );
    }

    return { version, configuration, metrics, tests, errors };
  },
};
