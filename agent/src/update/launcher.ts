// The launcher: the installed bundle (/usr/local/lib/vigil/vigil-agent.mjs, read-only under
// ProtectSystem=full) hands over, in the same process, to the update that is active in the state
// directory, before the rest of the agent is even loaded (main.ts loads the CLI with a dynamic
// import, which esbuild keeps lazy, so a handed-over process holds one agent's modules, not two).
//   - the active bundle runs only while its file still hashes to the SHA-256 that was verified when
//     it was downloaded; otherwise (and for `run` only, which owns the state) it is rolled back;
//   - `run` counts the starts of a version on trial (one not yet confirmed by an accepted report):
//     one that has stopped MAX_TRIAL_STARTS times without a report accepted is rolled back at the
//     next start, as is one whose import throws; and a timer of this process rolls back one that has
//     not had a report accepted `deadlineSeconds` after its start, then exits with
//     EXIT.restartForUpdate so that systemd starts the version rolled back to;
//   - the new bundle is imported with LAUNCHED set, so that its main.ts does not run by itself, and
//     its exported `vigilAgentMain(argv, launch)` is called: the interface every version keeps.
// `relay` (its own unit) and `enroll` (install.sh runs it from the bundle it checked) are never
// handed over. Only node builtins and small modules are imported here (see update-state.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { EXIT } from '../cli/exit-codes.js';
import { AGENT_VERSION } from '../cli/version.js';
import { createLogger, type Logger } from '../log.js';
import {
  bundleFileIn,
  MAX_TRIAL_STARTS,
  readState,
  rolledBack,
  trialStarted,
  updateDirFor,
  writeState,
  type ActiveUpdate,
  type UpdateState,
} from './update-state.js';

/** Set on globalThis before a bundle is imported by another: its main.ts then waits to be called. */
export const LAUNCHED = Symbol.for('vigil-agent.launched');

/** What the launched bundle is told about itself. */
export interface LaunchInfo {
  version: string;
  sha256: string;
  updateDir: string;
  /** `run` started it on trial: its first accepted report confirms it (updater.ts). */
  onTrial: boolean;
}

export type AgentMain = (argv: string[], launch?: LaunchInfo) => Promise<number>;

export interface LaunchOptions {
  env: Record<string, string | undefined>;
  /** This bundle's own agent. */
  own: AgentMain;
  now?: () => Date;
  /** Ends the process (the trial's deadline). */
  exit?: (code: number) => void;
  write?: (line: string) => void;
}

const NOT_HANDED_OVER = new Set(['relay', 'enroll']);

export function isLaunched(): boolean {
  return (globalThis as Record<symbol, unknown>)[LAUNCHED] === true;
}

/** The command of a command line: its first word that is neither an option nor --config's value. */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '-c' || arg === '--config') index++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** Why the active bundle's file must not run, or undefined when it is the one verified. */
async function bundleProblem(file: string, sha256: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? 'error'})`;
  }
  return createHash('sha256').update(bytes).digest('hex') === sha256 ? undefined : 'no longer matches its SHA-256';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the active update when there is one to run, else this bundle's own agent. */
export async function launch(argv: string[], options: LaunchOptions): Promise<number> {
  const { env, own } = options;
  const now = options.now ?? (() => new Date());
  const command = commandOf(argv);
  if (command !== undefined && NOT_HANDED_OVER.has(command)) return own(argv);
  const isRun = command === 'run';
  // `run` logs to the journal; any other command's stdout is its output, so only problems go to stderr.
  const write = options.write ?? ((line: string) => (isRun ? process.stdout : process.stderr).write(`${line}\n`));
  const log = createLogger(isRun ? 'info' : 'error', write, now);
  const updateDir = updateDirFor(env);

  let state: UpdateState;
  try {
    state = await readState(updateDir);
  } catch (error) {
    if (isRun) log.warn('cannot read the update state; running the installed agent', { updateDir, reason: errorText(error) });
    return own(argv);
  }
  /** Only `run` changes the state; false when it could not (the installed agent then runs). */
  const save = async (next: UpdateState): Promise<boolean> => {
    try {
      await writeState(updateDir, next);
      return true;
    } catch (error) {
      log.error('cannot write the update state; running the installed agent', { updateDir, reason: errorText(error) });
      return false;
    }
  };
  const rollBack = async (active: ActiveUpdate, reason: string): Promise<boolean> => {
    state = rolledBack(state, reason, now());
    log.error('rolled back an agent update', { version: active.version, from: active.from, reason, runs: state.active?.version ?? AGENT_VERSION });
    return save(state);
  };

  // At most: the active version rolled back, then the previous one it falls back to.
  for (let attempt = 0; attempt < 3 && state.active; attempt++) {
    const active = state.active;
    const file = bundleFileIn(updateDir, active.sha256);
    const problem = await bundleProblem(file, active.sha256);
    if (problem) {
      if (isRun && (await rollBack(active, `the file of ${active.version} ${problem}`))) continue;
      return own(argv);
    }
    if (isRun && active.trial) {
      const started = trialStarted(state);
      if (started.exhausted) {
        if (await rollBack(active, `it stopped ${MAX_TRIAL_STARTS} times before a report of it was accepted`)) continue;
        return own(argv);
      }
      state = started.state;
      if (!(await save(state))) return own(argv);
    }
    let main: AgentMain;
    try {
      (globalThis as Record<symbol, unknown>)[LAUNCHED] = true;
      const loaded = (await import(pathToFileURL(file).href)) as { vigilAgentMain?: unknown };
      if (typeof loaded.vigilAgentMain !== 'function') throw new Error('it exports no vigilAgentMain');
      main = loaded.vigilAgentMain as AgentMain;
    } catch (error) {
      if (isRun && (await rollBack(active, `it failed to load: ${errorText(error)}`))) continue;
      return own(argv);
    }
    const onTrial = isRun && active.trial !== undefined;
    if (onTrial) watchTrial(updateDir, active, log, now, options.exit ?? ((code) => process.exit(code)));
    if (isRun) log.info('running the updated agent', { version: active.version, installed: AGENT_VERSION, onTrial });
    return main(argv, { version: active.version, sha256: active.sha256, updateDir, onTrial });
  }
  return own(argv);
}

/** Rolls back the version on trial if no report of it is accepted within its deadline from this start. */
function watchTrial(updateDir: string, active: ActiveUpdate, log: Logger, now: () => Date, exit: (code: number) => void): void {
  const deadlineSeconds = active.trial!.deadlineSeconds;
  const timer = setTimeout(() => {
    void (async () => {
      let state: UpdateState;
      try {
        state = await readState(updateDir);
      } catch (error) {
        log.error('cannot read the update state at the trial deadline', { reason: errorText(error) });
        return;
      }
      if (!state.active?.trial || state.active.sha256 !== active.sha256) return; // confirmed meanwhile
      const reason = `no report of it was accepted within ${deadlineSeconds} s of its start`;
      try {
        await writeState(updateDir, rolledBack(state, reason, now()));
      } catch (error) {
        // The start count still rolls it back after its next starts.
        log.error('cannot write the update state at the trial deadline', { reason: errorText(error) });
      }
      log.error('rolled back an agent update; restarting', { version: active.version, from: active.from, reason });
      exit(EXIT.restartForUpdate);
    })();
  }, deadlineSeconds * 1000);
  timer.unref();
}
