// Reading what a command answered: whether it worked, and why not in a few words.
import type { CommandResult } from '../../host/host.js';
import { parseJsonData } from '../../host/own-data.js';

/** The first non-blank line of a command's output, trimmed; undefined when there is none. */
export function firstLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);
}

export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut;
}

/** Why a command gave no usable answer, e.g. "`ufw status verbose` exited with 1: ERROR: ...". */
export function commandFailure(commandLine: string, result: CommandResult): string {
  if (result.notFound) return `\`${commandLine}\` could not run: the program is not installed`;
  if (result.timedOut) return `\`${commandLine}\` timed out`;
  const said = firstLine(result.stderr) ?? firstLine(result.stdout);
  return `\`${commandLine}\` exited with ${result.exitCode ?? 'no code'}${said ? `: ${said}` : ''}`;
}

export function timedOutMessage(command: string, timeoutMs: number): string {
  return `${command} did not answer within ${Math.round(timeoutMs / 1000)} s`;
}

/** A JSON document from a command's output, or undefined when there is none or it does not parse. */
export function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    return parseJsonData(trimmed);
  } catch {
    return undefined;
  }
}
