// A Host that answers from a captured fixture directory instead of the machine:
//
//   agent/fixtures/<solution>/<scenario>/
//     meta.json       { "now": ISO time, "path": ["/usr/sbin", "/usr/bin", ...] }  (both optional)
//     commands.json   { "<command> <arg> <arg>": { "exitCode": 0, "stdout": "...", "stderr": "" }
//                       | { "timedOut": true } | { "notFound": true } }
//     root/           files laid out as on the host: root/etc/clamav/freshclam.conf is /etc/clamav/freshclam.conf
//     stats.json      optional overrides { "/etc/x": { "mode": 384, "uid": 0, "mtimeMs": ... } }
//
// A command missing from commands.json behaves like a binary that is not installed. Temporary files
// get predictable paths (/tmp/vigil-test-1, -2, ...) so commands.json can name them.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandResult, FileStat, Host, RunOptions, TempFile } from './host.js';

interface FixtureCommand {
  exitCode?: number | null;
  stdout?: string;
  stderr?: string;
  timedOut?: boolean;
  notFound?: boolean;
}

interface FixtureMeta {
  now?: string;
  path?: string[];
}

function readJson<T>(file: string, fallback: T): T {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
}

export class FixtureHost implements Host {
  private readonly commands: Record<string, FixtureCommand>;
  private readonly stats: Record<string, Partial<FileStat>>;
  private readonly meta: FixtureMeta;
  private readonly tempFiles = new Map<string, string>();
  /** Every command line run, in order: tests assert what a plugin did (and did not) run. */
  readonly ran: string[] = [];
  /**
   * The `env` a command line was last run with, when it had one. Only recorded: commands.json answers
   * by the command line alone, so a scenario's environment is part of the scenario (its files).
   */
  readonly envOf = new Map<string, Record<string, string>>();

  constructor(private readonly dir: string) {
    if (!existsSync(dir)) throw new Error(`no fixture at ${dir}`);
    this.commands = readJson(path.join(dir, 'commands.json'), {});
    this.stats = readJson(path.join(dir, 'stats.json'), {});
    this.meta = readJson(path.join(dir, 'meta.json'), {});
  }

  private rooted(file: string): string {
    return path.join(this.dir, 'root', path.posix.normalize(file));
  }

  async run(command: string, args: string[], options?: RunOptions): Promise<CommandResult> {
    const line = [command, ...args].join(' ');
    this.ran.push(line);
    if (options?.env) this.envOf.set(line, { ...options.env });
    const recorded = this.commands[line];
    if (!recorded || recorded.notFound) {
      return { exitCode: null, stdout: '', stderr: '', timedOut: false, notFound: true };
    }
    return {
      exitCode: recorded.timedOut ? null : (recorded.exitCode ?? 0),
      stdout: recorded.stdout ?? '',
      stderr: recorded.stderr ?? '',
      timedOut: recorded.timedOut ?? false,
      notFound: false,
    };
  }

  async readFile(file: string, options?: { maxBytes?: number }): Promise<string | undefined> {
    if (this.tempFiles.has(file)) return this.tempFiles.get(file);
    const real = this.rooted(file);
    if (!existsSync(real) || !statSync(real).isFile()) return undefined;
    return readFileSync(real, 'utf8').slice(0, options?.maxBytes ?? 1024 * 1024);
  }

  async stat(file: string): Promise<FileStat | undefined> {
    const real = this.rooted(file);
    if (!existsSync(real))
      return this.tempFiles.has(file) ? { isFile: true, isDirectory: false, mode: 0o600, uid: 0, size: 0, mtimeMs: 0 } : undefined;
    const stat = statSync(real);
    return {
      isFile: stat.isFile(),
      isDirectory: stat.isDirectory(),
      mode: stat.mode & 0o7777,
      uid: 0,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      ...this.stats[file],
    };
  }

  async listDir(dir: string): Promise<string[] | undefined> {
    const real = this.rooted(dir);
    if (!existsSync(real) || !statSync(real).isDirectory()) return undefined;
    return readdirSync(real)
      .filter((name) => name !== '.keep')
      .sort();
  }

  async writeTempFile(content: string): Promise<TempFile> {
    const file = `/tmp/vigil-test-${this.tempFiles.size + 1}`;
    this.tempFiles.set(file, content);
    return { path: file, remove: async () => void this.tempFiles.delete(file) };
  }

  searchPath(): string[] {
    return this.meta.path ?? ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  }

  now(): Date {
    return this.meta.now ? new Date(this.meta.now) : new Date('2026-11-27T10:00:00Z');
  }
}
