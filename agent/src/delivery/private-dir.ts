// The agent's own directories (the spool, the crash records, the relay's spool) and the files in
// them. The agent runs as root and writes and reads there on its own: a directory someone else can
// write to lets them plant a symbolic link named like a report or a crash record, and root would
// then send the file it points to (/etc/shadow) to the ingest or overwrite it. So:
//   - a directory is created 0700; an existing one must be a real directory (not a symbolic link),
//     owned by the agent's user and not writable by group or others, or it is refused with the
//     reason (the agent then sends without spooling and says so). One readable by others is
//     tightened to 0700, as the agent's files are nobody else's business.
//   - files are opened with O_NOFOLLOW (a symbolic link is refused, ELOOP), and new ones with
//     O_EXCL as well (nothing already there, link or file, is ever written through).
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, writeFileSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open } from 'node:fs/promises';

/** Read-only, never through a symbolic link. */
export const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;
/** A new file only: fails when anything (a file, a link, dangling or not) already has the name. */
export const CREATE_NEW_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export class UnsafeDirectoryError extends Error {
  override name = 'UnsafeDirectoryError';
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Why the directory must not be used, or undefined when it is safe. */
export function directoryProblem(dir: string, info: Stats, uid: number | undefined = currentUid()): string | undefined {
  if (info.isSymbolicLink()) return `${dir} is a symbolic link; point the setting at the real directory`;
  if (!info.isDirectory()) return `${dir} is not a directory`;
  if (uid !== undefined && info.uid !== uid) {
    return `${dir} is owned by uid ${info.uid}, not by the agent's user (uid ${uid}); someone else may have put files in it`;
  }
  if ((info.mode & 0o022) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    return `${dir} is writable by group or others (mode ${mode}); someone else may have put files in it. Check its contents, then chmod 0700 it`;
  }
  return undefined;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** Creates the directory 0700 if it is missing, refuses an unsafe one, tightens one others can read. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  let info: Stats;
  try {
    info = await lstat(dir);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    info = await lstat(dir);
  }
  const problem = directoryProblem(dir, info);
  if (problem) throw new UnsafeDirectoryError(problem);
  if ((info.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

/** ensurePrivateDir for the crash handler, which must not wait on the event loop. */
export function ensurePrivateDirSync(dir: string): void {
  let info: Stats;
  try {
    info = lstatSync(dir);
  } catch (error) {
    if (!isMissing(error)) throw error;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    info = lstatSync(dir);
  }
  const problem = directoryProblem(dir, info);
  if (problem) throw new UnsafeDirectoryError(problem);
  if ((info.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

/** The file's text; refuses a symbolic link (ELOOP) instead of reading what it points to. */
export async function readFileNoFollow(file: string): Promise<string> {
  const handle = await open(file, READ_NO_FOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Writes a new 0600 file; fails if the name is taken, by a file or a link. */
export function writeNewFileSync(file: string, content: string): void {
  const fd = openSync(file, CREATE_NEW_NO_FOLLOW, 0o600);
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
