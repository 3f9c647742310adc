// What `vigil-agent run` does with an uncaught exception or unhandled rejection: the process is in
// an unknown state, so it saves the crash to disk (the next report carries it), logs it, reports it
// to the operator's Sentry when one is configured (bounded by the reporter's timeout), and exits
// non-zero so systemd restarts it. A second crash while this runs exits at once.
import type { AgentCrashKind } from '@vigil/schema';
import type { Logger } from '../log.js';
import { crashRecord, writeCrashSync } from './crash-store.js';
import type { ErrorReporter } from './sentry.js';

export const CRASH_EXIT_CODE = 1;

export interface CrashContext {
  crashDir: string;
  version: string;
  log: Logger;
  reporter: ErrorReporter;
  now: () => Date;
  exit: (code: number) => void;
}

export function createCrashHandler(context: () => CrashContext): (thrown: unknown, kind: AgentCrashKind) => void {
  let crashing = false;
  return (thrown, kind) => {
    const { crashDir, version, log, reporter, now, exit } = context();
    if (crashing) {
      exit(CRASH_EXIT_CODE);
      return;
    }
    crashing = true;
    const crash = crashRecord(thrown, kind, version, now());
    try {
      const file = writeCrashSync(crashDir, crash);
      log.error('agent crashed; the crash is saved and goes out with the next report', { kind, error: crash.message, file });
    } catch (error) {
      log.error('agent crashed; the crash could not be saved', { kind, error: crash.message, reason: String(error) });
    }
    if (!reporter.enabled) {
      exit(CRASH_EXIT_CODE);
      return;
    }
    void reporter.report(thrown, { handled: false, tags: { command: 'run', kind } }).finally(() => exit(CRASH_EXIT_CODE));
  };
}
