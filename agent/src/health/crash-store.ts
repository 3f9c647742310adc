// Crashes of `vigil-agent run`, kept on disk until a report has carried them to the ingest.
// One file per crash in `<spool_dir>/../crash/` (default /var/lib/vigil/crash), mode 0600, written
// synchronously from the crash handler (the event loop may be in any state then). Names sort by
// time. At most MAX_CRASH_FILES are kept, so a crash loop cannot fill the disk.
// The agent runs as root: the directory must be its own and private, a record is created with
// O_EXCL | O_NOFOLLOW (never written through a planted link) and read with O_NOFOLLOW (private-dir.ts).
import { AGENT_CRASH_KINDS, LIMITS, agentCrashSchema, scrubbedAndCut, describeThrown, type AgentCrash, type AgentCrashKind } from '@vigil/schema';
import { readdirSync, rmSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir, ensurePrivateDirSync, readFileNoFollow, writeNewFileSync } from '../delivery/private-dir.js';
import type { Logger } from '../log.js';

export const MAX_CRASH_FILES = 20;
const CRASH_FILE = /^crash-[0-9TZ.-]+-\d+\.json$/;

export function crashDirFor(spoolDir: string): string {
  return path.join(path.dirname(path.resolve(spoolDir)), 'crash');
}

export function crashRecord(thrown: unknown, kind: AgentCrashKind, version: string, now: Date): AgentCrash {
  const { type, message, stack } = describeThrown(thrown);
  return {
    at: now.toISOString(),
    kind: AGENT_CRASH_KINDS.includes(kind) ? kind : 'uncaughtException',
    // Bounded before scrubbing: this runs inside the uncaughtException handler, and a huge message
    // must not stall it (scrubbedAndCut's patterns are quadratic in one long word).
    message: scrubbedAndCut(`${type}: ${message}`, LIMITS.messageText),
    stack: scrubbedAndCut(stack ?? '', LIMITS.crashStackText),
    version: version.length <= 64 ? version : `${version.slice(0, 63)}…`,
  };
}

/** Writes the crash; returns the file written. Synchronous: it runs in an uncaughtException handler. */
export function writeCrashSync(dir: string, crash: AgentCrash, pid: number = process.pid): string {
  ensurePrivateDirSync(dir);
  const file = path.join(dir, `crash-${crash.at.replace(/:/g, '-')}-${pid}.json`);
  writeNewFileSync(file, `${JSON.stringify(crash)}\n`);
  const names = readdirSync(dir)
    .filter((name) => CRASH_FILE.test(name))
    .sort();
  for (const old of names.slice(0, Math.max(0, names.length - MAX_CRASH_FILES))) rmSync(path.join(dir, old), { force: true });
  return file;
}

export interface PendingCrashes {
  /** Every crash file found, delivered or not yet: removed together once a report carried them. */
  files: string[];
  /** The newest crash that could be read. */
  last?: AgentCrash;
}

export async function readPendingCrashes(dir: string, log: Logger): Promise<PendingCrashes> {
  let names: string[];
  try {
    await lstat(dir); // a missing directory is no crash, and is not created here
    await ensurePrivateDir(dir);
    names = (await readdir(dir)).filter((name) => CRASH_FILE.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read the crash directory', { crashDir: dir, reason: String(error) });
    return { files: [] };
  }
  const files = names.map((name) => path.join(dir, name));
  for (const file of [...files].reverse()) {
    try {
      const parsed = agentCrashSchema.safeParse(JSON.parse(await readFileNoFollow(file)));
      if (parsed.success) return { files, last: parsed.data };
    } catch {
      // Unreadable: counted, and removed with the others once a report is delivered.
    }
  }
  return { files };
}

export async function removeCrashes(files: readonly string[], log: Logger): Promise<void> {
  for (const file of files) {
    await rm(file, { force: true }).catch((error: unknown) => log.warn('could not remove a delivered crash record', { file, reason: String(error) }));
  }
}
