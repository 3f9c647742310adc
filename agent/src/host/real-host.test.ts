// RealHost.run against real processes: output and input, and above all that a command's children
// die with it (on a timeout, when it ends, when the agent ends) instead of running on unseen.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { liveGroupCount } from './process-groups.js';
import { which } from './queries.js';
import { RealHost } from './real-host.js';

const host = new RealHost();
let dir: string;
/** Processes a test started that might outlive it: killed afterwards whatever happened. */
const strays: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-real-host-'));
});
afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already, as it should be.
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `sleep` that is alive; a zombie is dead (its parent died too, and nobody has reaped it yet). */
function sleepRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return stat.includes('(sleep)') && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function pidsIn(text: string): number[] {
  const pids = text.split(/\s+/).filter(Boolean).map(Number);
  strays.push(...pids);
  return pids;
}

describe('RealHost.run', () => {
  it('returns the exit code, stdout and stderr, and feeds stdin', async () => {
    expect(await host.run('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
      notFound: false,
    });
    expect((await host.run('cat', [], { input: 'hello\n' })).stdout).toBe('hello\n');
    expect(await host.run('/nonexistent/vigil-tool', [])).toMatchObject({ exitCode: null, notFound: true, timedOut: false });
    expect(liveGroupCount()).toBe(0);
  });

  it("adds the caller's env over its own PATH and C locale", async () => {
    const result = await host.run('sh', ['-c', 'echo "$VIGIL_A|$LANG|$LC_ALL|${VIGIL_UNSET-unset}"'], { env: { VIGIL_A: 'a b', LANG: 'C.UTF-8' } });
    expect(result.stdout).toBe('a b|C.UTF-8|C|unset\n');
    expect((await host.run('sh', ['-c', 'echo "${VIGIL_A-unset}|$LC_ALL"'])).stdout).toBe('unset|C\n');
  });

  it('gives a child no key that reached Object.prototype, nor inherited keys of the env it is given', async () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.LD_PRELOAD = '/nonexistent/vigil-polluted.so';
    try {
      const extra = Object.create({ VIGIL_INHERITED: 'yes' }) as Record<string, string>;
      extra.VIGIL_OWN = 'own';
      const result = await host.run('env', [], { env: extra });
      expect(result.exitCode).toBe(0);
      const names = result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(0, line.indexOf('=')));
      expect(names.sort()).toEqual(['LANG', 'LC_ALL', 'PATH', 'VIGIL_OWN']);
      expect(`${result.stdout}${result.stderr}`).not.toContain('vigil-polluted');
    } finally {
      delete prototype.LD_PRELOAD;
    }
  });

  it("never hands a child the dynamic loader's or an interpreter's start-up variables, whoever asks for them", async () => {
    const result = await host.run('env', [], {
      env: {
        LD_PRELOAD: '/nonexistent/x.so',
        LD_LIBRARY_PATH: '/tmp',
        LD_AUDIT: '/tmp/a.so',
        GCONV_PATH: '/tmp',
        BASH_ENV: '/tmp/x.sh',
        ENV: '/tmp/x.sh',
        NODE_OPTIONS: '--require /tmp/x.js',
        PYTHONPATH: '/tmp',
        PERL5LIB: '/tmp',
        VIGIL_TOKEN: 'kept',
      },
    });
    const names = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(names.sort()).toEqual(['LANG', 'LC_ALL', 'PATH', 'VIGIL_TOKEN']);
  });

  it('kills the whole process group on a timeout, not only the command', async () => {
    const started = Date.now();
    const result = await host.run('sh', ['-c', 'sleep 30 & echo $!; sleep 30'], { timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true, notFound: false });
    // Before, the background sleep kept the output pipe open: no result for 30 s.
    expect(Date.now() - started).toBeLessThan(2_000);
    const [child] = pidsIn(result.stdout);
    expect(child).toBeGreaterThan(0);
    await vi.waitFor(() => expect(sleepRunning(child!)).toBe(false), { timeout: 2_000 });
    // Tracked until its SIGKILL unless the group was empty at once (a zombie nobody reaped yet counts).
    await vi.waitFor(() => expect(liveGroupCount()).toBe(0), { timeout: 3_000 });
  }, 10_000);

  it('follows SIGTERM with SIGKILL for a group that ignores it', async () => {
    const result = await host.run('sh', ['-c', 'trap "" TERM; sleep 30 & echo $!; sleep 30'], { timeoutMs: 200 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    const [child] = pidsIn(result.stdout);
    await vi.waitFor(() => expect(sleepRunning(child!)).toBe(false), { timeout: 2_000 });
    await vi.waitFor(() => expect(liveGroupCount()).toBe(0), { timeout: 3_000 });
  }, 10_000);

  it('kills what a command left running in its group once it exits', async () => {
    const result = await host.run('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { timeoutMs: 5_000 });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    const [child] = pidsIn(result.stdout);
    await vi.waitFor(() => expect(sleepRunning(child!)).toBe(false), { timeout: 2_000 });
    expect(liveGroupCount()).toBe(0);
  });

  it('still answers when a process that left the group holds the output open, and leaves that one alone', async () => {
    // The outer shell ends only once the daemon has left the group (it made the file after setsid).
    const left = path.join(dir, 'left-the-group');
    const script = `setsid sh -c 'touch ${left}; exec sleep 30' & echo $!; while [ ! -e ${left} ]; do sleep 0.01; done`;
    const result = await host.run('sh', ['-c', script], { timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    const [daemon] = pidsIn(result.stdout);
    expect(sleepRunning(daemon!)).toBe(true);
    expect(liveGroupCount()).toBe(0);
  });
});

describe('RealHost.searchPath: only directories that root alone can change', () => {
  const asRoot = process.getuid?.() === 0;
  const TOOL = 'vigil-search-probe';

  /** A RealHost whose agent runs as uid with this PATH (the variable, as systemd or a shell gives it). */
  async function withPath<T>(uid: number, pathVariable: string, use: (host: RealHost) => Promise<T>): Promise<T> {
    const saved = process.env.PATH;
    process.env.PATH = pathVariable;
    try {
      return await use(new RealHost(undefined, { uid }));
    } finally {
      process.env.PATH = saved;
    }
  }

  /** A directory with the given mode holding an executable TOOL that prints `label`. */
  function toolDir(name: string, mode: number, label: string, parent = dir): string {
    const target = path.join(parent, name);
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, TOOL), `#!/bin/sh\necho ${label}\n`, { mode: 0o755 });
    chmodSync(target, mode);
    return target;
  }

  it('skips a world-writable or group-writable directory, and one inside a directory others can write', async () => {
    const open = toolDir('open', 0o777, 'open');
    const group = toolDir('group', 0o775, 'group');
    const writableParent = toolDir('writable-parent', 0o777, 'none');
    const inside = toolDir('bin', 0o755, 'inside', writableParent);
    const sticky = toolDir('sticky', 0o1777, 'sticky');
    const underSticky = toolDir('bin', 0o755, 'under-sticky', sticky);
    const trusted = toolDir('trusted', 0o755, 'trusted');
    const uid = process.getuid?.() ?? 0;
    const entries = [open, group, inside, sticky, '/no/such/dir', underSticky, trusted, 'relative/bin'];
    await withPath(uid, entries.join(':'), async (probe) => {
      const searched = probe.searchPath();
      // A directory under a sticky one (as /tmp is) is safe: nobody else can rename it.
      expect(searched.filter((entry) => entry.startsWith(realpathSync(dir)))).toEqual([realpathSync(underSticky), realpathSync(trusted)]);
      expect(await which(probe, TOOL)).toBe(path.join(realpathSync(underSticky), TOOL));
      // The children's PATH is the same list: a bare command name finds the trusted one.
      expect((await probe.run(TOOL, [])).stdout).toBe('under-sticky\n');
      // systemd's default directories stay, when root alone can write them.
      for (const entry of searched.filter((entry) => !entry.startsWith(realpathSync(dir)))) expect(statSync(entry).uid).toBe(0);
    });
  });

  it.skipIf(!asRoot)('as root, skips a directory owned by another user', async () => {
    const foreign = toolDir('foreign', 0o755, 'foreign');
    chownSync(foreign, 65534, 65534);
    const trusted = toolDir('trusted-2', 0o755, 'trusted');
    await withPath(0, `${foreign}:${trusted}`, async (probe) => {
      expect(probe.searchPath().filter((entry) => entry.startsWith(realpathSync(dir)))).toEqual([realpathSync(trusted)]);
      expect((await probe.run(TOOL, [])).stdout).toBe('trusted\n');
    });
    // An agent run as that user (a test run) may use its own directory.
    await withPath(65534, foreign, async (probe) => expect(probe.searchPath()).toContain(realpathSync(foreign)));
  });
});

describe('RealHost.run when the agent ends', () => {
  let script: string;

  beforeAll(async () => {
    // The agent as a separate process: RealHost bundled with a driver that starts a command whose
    // shell writes its own pid and its child's to a file, then ends as the test says.
    script = path.join(dir, 'driver.mjs');
    await build({
      stdin: {
        contents: `
          import { existsSync } from 'node:fs';
          import { RealHost } from './real-host.js';
          const [pidFile, ending] = process.argv.slice(2);
          void new RealHost().run('sh', ['-c', 'sleep 30 & echo $! $$ > ' + pidFile + '.tmp; mv ' + pidFile + '.tmp ' + pidFile + '; sleep 30'], { timeoutMs: 60_000 });
          const wait = setInterval(() => {
            if (!existsSync(pidFile)) return;
            clearInterval(wait);
            if (ending === 'exit') process.exit(0);
            process.stdout.write('ready\\n');
          }, 20);
        `,
        resolveDir: path.dirname(fileURLToPath(import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
  });

  async function driver(ending: 'exit' | 'SIGINT' | 'SIGTERM'): Promise<{ pids: number[]; code: number | null; signal: NodeJS.Signals | null }> {
    const pidFile = path.join(dir, `pids-${ending}`);
    const agent = spawn(process.execPath, [script, pidFile, ending], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (agent.pid) strays.push(agent.pid);
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      agent.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await vi.waitFor(() => expect(existsSync(pidFile)).toBe(true), { timeout: 5_000 });
    const pids = pidsIn(readFileSync(pidFile, 'utf8'));
    if (ending !== 'exit') {
      await new Promise<void>((resolve) => agent.stdout.once('data', () => resolve()));
      agent.kill(ending);
    }
    return { pids, ...(await ended) };
  }

  it("kills its commands' groups when it calls process.exit", async () => {
    const { pids, code } = await driver('exit');
    expect(code).toBe(0);
    expect(pids).toHaveLength(2);
    await vi.waitFor(() => expect(pids.filter(sleepRunning)).toEqual([]), { timeout: 2_000 });
  });

  it('kills them on a signal nothing else handles, and still dies of that signal', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const { pids, signal: died } = await driver(signal);
      expect(died).toBe(signal);
      await vi.waitFor(() => expect(pids.filter(sleepRunning)).toEqual([]), { timeout: 2_000 });
    }
  }, 15_000);
});
