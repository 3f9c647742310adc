// Command-line parsing with node:util's parseArgs (Node 18.3+). `util.parseArgs` rather than a named
// import: on an older Node a named import fails before main.ts can say which Node is needed.
import util from 'node:util';

export const COMMANDS = ['run', 'once', 'collect', 'doctor', 'help'] as const;
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
      },
    });
  } catch (error) {
    // parseArgs explains `--` at length after its first sentence; the first sentence is the point.
    const message = error instanceof Error ? error.message.split(/\.\s/)[0]!.replace(/\.$/, '') : String(error);
    throw new UsageError(message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
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
  return {
    command,
    json: values.json ?? false,
    fixtures,
    version: values.version ?? false,
    ...(values.config !== undefined ? { configPath: values.config } : {}),
  };
}
