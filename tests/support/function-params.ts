// Handlers run in the test process (a schedule's handler, called as the scheduler would) read their
// params from process.env, as they do in the Functions emulator: load the same files it loads,
// functions/.env.local and functions/.secret.local (written by the harness before the emulators start).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FUNCTIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'functions');

export function loadFunctionParams(): void {
  // What the Functions emulator tells the code it runs (isEmulator(): local URLs are allowed).
  process.env.FUNCTIONS_EMULATOR ??= 'true';
  for (const file of ['.env.local', '.secret.local']) {
    const full = path.join(FUNCTIONS_DIR, file);
    if (!existsSync(full)) throw new Error(`${full} is missing: run the tests under scripts/emulators.mjs exec`);
    for (const line of readFileSync(full, 'utf8').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match?.[1] && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
    }
  }
}
