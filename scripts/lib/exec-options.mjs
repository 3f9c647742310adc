// The arguments of `node scripts/emulators.mjs exec` and the log tail it prints on failure, apart
// from the process work so they can be tested.

export const ALL_EMULATORS = 'auth,firestore,functions,pubsub,hosting';
/** How much of the emulator log a failed run prints (the path to the rest follows it). */
export const LOG_TAIL_LINES = 80;

/**
 * `[--only LIST] [--log FILE] -- COMMAND [ARGS...]` → { only, logFile, command }; throws with the
 * reason for anything else (the CLI prints it with the usage line).
 */
export function parseExecArgs(args) {
  const separator = args.indexOf('--');
  if (separator < 0) throw new Error('exec needs `--` before the command');
  const options = args.slice(0, separator);
  const command = args.slice(separator + 1);
  const parsed = { only: ALL_EMULATORS, logFile: undefined, command };
  for (let i = 0; i < options.length; i += 2) {
    const [name, value] = [options[i], options[i + 1]];
    if (name !== '--only' && name !== '--log') throw new Error(`unknown option: ${name}`);
    if (value === undefined || value === '' || value.startsWith('--')) throw new Error(`${name} needs a value`);
    if (name === '--only') parsed.only = value;
    else parsed.logFile = value;
  }
  if (command.length === 0) throw new Error('exec needs a command');
  return parsed;
}

/** The last `maxLines` lines of a log and how many it had, trailing blank lines dropped. */
export function logTail(text, maxLines = LOG_TAIL_LINES) {
  const trimmed = text.trimEnd();
  const lines = trimmed === '' ? [] : trimmed.split('\n');
  return { total: lines.length, tail: lines.slice(-maxLines) };
}
