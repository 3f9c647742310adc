// A PATH for install.sh's tests that has every command of this machine's PATH but the ones named:
// a directory of symbolic links to the real programs (the first of each name, as a shell finds it).
// So a test can run the installer on this very machine as if it had no `node`, or no `apt-get`,
// without a stand-in for anything else it calls (sh, tar, curl, sha256sum, awk...).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/** Makes `dir` (afresh) hold a link to each command on `PATH` except `without`, and returns `dir`. */
export async function pathWithout(dir: string, without: readonly string[], searchPath = process.env.PATH ?? ''): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const taken = new Set(without);
  for (const entryDir of searchPath.split(':').filter((part) => part && existsSync(part))) {
    for (const name of readdirSync(entryDir)) {
      if (taken.has(name)) continue;
      const target = path.join(entryDir, name);
      try {
        const stats = statSync(target);
        // Executable files only; the first of a name wins, as in a PATH search.
        if (!stats.isFile() || (stats.mode & 0o111) === 0) continue;
      } catch {
        continue; // A dangling link.
      }
      taken.add(name);
      await symlink(target, path.join(dir, name));
    }
  }
  return dir;
}
