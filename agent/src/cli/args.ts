// Command-line parsing with node:util's parseArgs (Node 18.3+). `util.parseArgs` rather than a named
// import: on an older Node a named import fails before main.ts can say which Node is needed.
import util from 'node:util';

export const COMMANDS = ['run', 'once', 'collect', 'doctor', 'relay', 'enroll', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command;
  configPath?: string;
  json: boolean;
  /**
   * Hidden (bench/agent-collect.mjs, plugin development): `--fixture clamav=agent/fixtures/clamav/healthy`
   * runs that plugin against a fixture directory instead of the machine; plugins without one are skipped.
   */
  fixtures: Record<string, string>;
  version: boolean;
  /** `relay` (serve), `relay allow KEYID`, `relay deny KEYID`, `relay list`, `relay fingerprint`. */
  relay?: RelayArgs;
  /** `enroll`'s options, as typed (checked by the command, which also reads the token's variable). */
  enroll?: EnrollArgs;
}

export interface EnrollArgs {
  /** --token; the command falls back on VIGIL_ENROLLMENT_TOKEN (which keeps the token out of argv). */
  token?: string;
  endpoint?: string;
  /** Each --label key=value. */
  labels: string[];
  relayFingerprint?: string;
}

/** The options only `enroll` takes. */
const ENROLL_OPTIONS = ['token', 'endpoint', 'label', 'relay-fingerprint'] as const;

export const RELAY_ACTIONS = ['serve', 'allow', 'deny', 'list', 'fingerprint'] as const;
export interface RelayArgs {
  action: (typeof RELAY_ACTIONS)[number];
  /** The argument of allow and deny, as typed (checked by the command). */
  keyId?: string;
}

function parseRelayArgs(rest: string[]): RelayArgs {
  const [action = 'serve', keyId, extra] = rest;
  if (!(RELAY_ACTIONS as readonly string[]).includes(action) || (action === 'serve' && rest.length > 0)) {
    throw new UsageError(`unknown relay command "${action}" (relay, relay allow KEYID, relay deny KEYID, relay list, relay fingerprint)`);
  }
  const needsKeyId = action === 'allow' || action === 'deny';
  if (needsKeyId && keyId === undefined) throw new UsageError(`relay ${action} needs a key id`);
  const unexpected = needsKeyId ? extra : keyId;
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  return { action: action as RelayArgs['action'], ...(needsKeyId ? { keyId } : {}) };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = util.parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean', default: false },
        fixture: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
        token: { type: 'string' },
        endpoint: { type: 'string' },
        label: { type: 'string', multiple: true },
        'relay-fingerprint': { type: 'string' },
      },
    });
  } catch (error) {
    // parseArgs explains `--` at length after its first sentence; the first sentence is the point.
    const message = error instanceof Error ? error.message.split(/\.\s/)[0]!.replace(/\.$/, '') : String(error);
    throw new UsageError(message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 && positionals[0] !== 'relay') throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const name = positionals[0];
  if (name !== undefined && !(COMMANDS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown command "${name}"`);
  }
  let command: Command = (name as Command | undefined) ?? 'help';
  if (values.help) command = 'help';
  if (values.json && command !== 'collect' && command !== 'help') throw new UsageError('--json is an option of collect');
  const fixtures: Record<string, string> = {};
  for (const pair of values.fixture ?? []) {
    const match = /^([a-z0-9-]+)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`--fixture wants ID=DIR, got "${pair}"`);
    fixtures[match[1]!] = match[2]!;
  }
  if (Object.keys(fixtures).length > 0 && command !== 'collect') throw new UsageError('--fixture is an option of collect');
  if (values.config === '') throw new UsageError('--config needs a file');
  if (command !== 'enroll' && command !== 'help') {
    const misplaced = ENROLL_OPTIONS.find((option) => values[option] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} is an option of enroll`);
  }
  return {
    command,
    json: values.json ?? false,
    fixtures,
    version: values.version ?? false,
    ...(values.config !== undefined ? { configPath: values.config } : {}),
    ...(command === 'relay' ? { relay: parseRelayArgs(positionals.slice(1)) } : {}),
    ...(command === 'enroll'
      ? {
          enroll: {
            labels: values.label ?? [],
            ...(values.token !== undefined ? { token: values.token } : {}),
            ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
            ...(values['relay-fingerprint'] !== undefined ? { relayFingerprint: values['relay-fingerprint'] } : {}),
          },
        }
      : {}),
  };
}
