// An uncaught crash of `run`: saved to disk (0600), the process exits 1, the next report carries it
// and the record is removed once that report was delivered. Error reports leave the host only
// when error_reporting_dsn is set, and then as exactly one envelope without keys or host facts.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentCrashSchema, reportSchema } from '@vigil/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/cli.js';
import { EXIT } from '../cli/exit-codes.js';
import { testCli, TEST_ENDPOINT, TEST_KEY, writeConfig, type TestCli } from '../../test/support/cli.js';
import { silentLogger } from '../log.js';
import { createCrashHandler } from './crash-handler.js';
import { crashDirFor, crashRecord, MAX_CRASH_FILES, readPendingCrashes, writeCrashSync } from './crash-store.js';
import { createErrorReporter } from './sentry.js';
import { parseEnvelope, startFakeSentry, type FakeSentry } from '../../test/support/fake-sentry.js';

let cli: TestCli | undefined;
let sentry: FakeSentry | undefined;
let dir: string | undefined;
afterEach(async () => {
  cli?.cleanup();
  await sentry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  cli = undefined;
  sentry = undefined;
  dir = undefined;
});

const NOW = new Date('2026-11-27T10:00:00.000Z');

describe('crash records', () => {
  it('live next to the spool', () => {
    expect(crashDirFor('/var/lib/vigil/spool')).toBe('/var/lib/vigil/crash');
  });

  it('keep message, stack (cut to 8 KiB), version and time, never a key, in a 0600 file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-crash-'));
    const error = new TypeError(`cannot send with ${TEST_KEY}`);
    error.stack = `${error.name}: ${error.message}\n${'    at deep (/usr/local/lib/vigil/vigil-agent.mjs:1:2)\n'.repeat(500)}`;
    const crash = crashRecord(error, 'uncaughtException', '0.2.0', NOW);
    expect(agentCrashSchema.safeParse(crash).success).toBe(true);
    expect(crash).toMatchObject({
      at: NOW.toISOString(),
      kind: 'uncaughtException',
      version: '0.2.0',
      message: 'TypeError: cannot send with vgl_[redacted]',
    });
    expect(crash.stack.length).toBe(8192);
    const file = writeCrashSync(path.join(dir, 'crash'), crash);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(TEST_KEY.slice(4));
    expect(await readPendingCrashes(path.join(dir, 'crash'), silentLogger)).toEqual({ files: [file], last: crash });
  });

  it('are never written or read through a symbolic link, nor kept in a directory others can write to', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-crash-'));
    const crashDir = path.join(dir, 'crash');
    mkdirSync(crashDir, { mode: 0o700 });
    const outside = path.join(dir, 'passwd');
    writeFileSync(outside, 'root:x:0:0::/root:/bin/sh\n');
    const crash = crashRecord(new Error('boom'), 'uncaughtException', '0.2.0', NOW);
    // The name the crash would take (its time and the pid), planted as a link to a root-owned file.
    symlinkSync(outside, path.join(crashDir, `crash-${NOW.toISOString().replace(/:/g, '-')}-4242.json`));
    expect(() => writeCrashSync(crashDir, crash, 4242)).toThrow(/EEXIST/);
    expect(readFileSync(outside, 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');
    // A planted link with a crash's name, pointing at a valid crash record elsewhere, is not read.
    const elsewhere = path.join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ ...crash, message: 'Error: planted' }));
    symlinkSync(elsewhere, path.join(crashDir, 'crash-2026-11-27T11-00-00.000Z-1.json'));
    expect((await readPendingCrashes(crashDir, silentLogger)).last).toBeUndefined();

    const open = path.join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(() => writeCrashSync(open, crash)).toThrow(/writable by group or others/);
    expect(readdirSync(open)).toEqual([]);
    writeFileSync(path.join(open, 'crash-2026-11-27T10-00-00.000Z-1.json'), JSON.stringify(crash));
    expect(await readPendingCrashes(open, silentLogger)).toEqual({ files: [] });
  });

  it('keep at most MAX_CRASH_FILES, and the newest is the one reported', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-crash-'));
    const crashDir = path.join(dir, 'crash');
    for (let index = 0; index < MAX_CRASH_FILES + 5; index++) {
      writeCrashSync(crashDir, crashRecord(new Error(`crash ${index}`), 'unhandledRejection', '0.2.0', new Date(NOW.getTime() + index * 1000)));
    }
    const pending = await readPendingCrashes(crashDir, silentLogger);
    expect(pending.files).toHaveLength(MAX_CRASH_FILES);
    expect(pending.last?.message).toBe(`Error: crash ${MAX_CRASH_FILES + 4}`);
  });

  it('read as nothing pending when there is no crash directory', async () => {
    expect(await readPendingCrashes('/nonexistent/vigil/crash', silentLogger)).toEqual({ files: [] });
  });
});

describe('the crash handler', () => {
  it('saves the crash and exits 1 at once when error reporting is off, calling no fetch', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-crash-'));
    const fetchSpy = vi.fn<typeof fetch>();
    const exits: number[] = [];
    const reporter = createErrorReporter({ dsn: undefined, version: '0.2.0', fetch: fetchSpy });
    const handle = createCrashHandler(() => ({
      crashDir: dir!,
      version: '0.2.0',
      log: silentLogger,
      reporter,
      now: () => NOW,
      exit: (code) => exits.push(code),
    }));
    handle(new Error('boom'), 'uncaughtException');
    expect(exits).toEqual([1]);
    expect(readdirSync(dir)).toHaveLength(1);
    handle(new Error('again'), 'uncaughtException');
    expect(exits).toEqual([1, 1]);
    expect(readdirSync(dir)).toHaveLength(1); // a crash during the crash is not saved twice
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

async function runWithInjectedCrash(thrown: unknown): Promise<number[]> {
  const exits: number[] = [];
  cli!.deps.forceExit = (code) => exits.push(code);
  cli!.afterSleep = (count) => {
    if (count === 1) cli!.fatal!(thrown, 'uncaughtException');
    cli!.signals.get('SIGTERM')!();
  };
  expect(await runCli(['run', '--config', cli!.configPath], cli!.deps)).toBe(EXIT.ok);
  return exits;
}

describe('vigil-agent run: a crash', () => {
  it('is written to disk, exits 1, goes out with the next report and is removed once delivered', async () => {
    cli = testCli();
    const fetchSpy = vi.fn<typeof fetch>();
    cli.deps.fetch = fetchSpy;
    const exits = await runWithInjectedCrash(new RangeError(`bad with ${TEST_KEY}`));
    expect(exits).toEqual([1]);
    expect(cli.stdout.json().find((line) => line.level === 'error')).toMatchObject({
      message: 'agent crashed; the crash is saved and goes out with the next report',
      kind: 'uncaughtException',
    });
    const crashDir = path.join(cli.dir, 'crash');
    const [file] = readdirSync(crashDir);
    expect(statSync(path.join(crashDir, file!)).mode & 0o777).toBe(0o600);

    // The next process: `once` (or `run` again) sends it; this delivery fails, so the record stays.
    cli.script = (delivery) => {
      delivery.answers = [{ error: { kind: 'network', message: 'down' } }];
    };
    expect(await runCli(['once', '--config', cli.configPath], cli.deps)).toBe(EXIT.spooled);
    expect(readdirSync(crashDir)).toHaveLength(1);

    cli.script = () => undefined;
    expect(await runCli(['once', '--config', cli.configPath], cli.deps)).toBe(EXIT.ok);
    const report = cli.deliveries.at(-1)!.submitted[0]!;
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.agentHealth).toMatchObject({
      version: '9.9.9-test',
      uptimeSeconds: 42,
      crashes: 1,
      lastCrash: { kind: 'uncaughtException', message: 'RangeError: bad with vgl_[redacted]', version: '9.9.9-test', at: '2026-11-27T10:05:00.000Z' },
      spool: { reports: 0, bytes: 0, dropped: 0 },
    });
    expect(report.agentHealth!.lastCrash!.stack).toContain('RangeError');
    expect(readdirSync(crashDir)).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(TEST_KEY.slice(4));
    expect(fetchSpy).not.toHaveBeenCalled(); // no DSN: nothing but the report left
  });

  it('sends nothing to a Sentry server when no DSN is configured', async () => {
    sentry = await startFakeSentry();
    cli = testCli();
    // The real fetch: with reporting off the exit is synchronous, so no request can still be in flight.
    expect(await runWithInjectedCrash(new Error('boom'))).toEqual([1]);
    expect(sentry.requests).toEqual([]);
  });

  it('sends exactly one well-formed envelope to the configured DSN, then exits 1', async () => {
    sentry = await startFakeSentry();
    cli = testCli();
    const keyFile = path.join(cli.dir, 'key');
    cli.configPath = writeConfig(
      cli.dir,
      `endpoint: ${TEST_ENDPOINT}\nkey_file: ${keyFile}\nspool_dir: ${cli.dir}/spool\nerror_reporting_dsn: ${sentry.dsn}\n`,
    );
    const exits = await runWithInjectedCrash(new TypeError(`boom with ${TEST_KEY} on web-1`));
    await vi.waitFor(() => expect(exits).toEqual([1]));
    expect(sentry.requests).toHaveLength(1);
    const [request] = sentry.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/api/42/envelope/' });
    expect(request!.headers['x-sentry-auth']).toBe('Sentry sentry_version=7, sentry_key=publickey0123, sentry_client=vigil/9.9.9-test');
    expect(request!.headers['content-type']).toBe('application/x-sentry-envelope');
    const { header, event } = parseEnvelope(request!.body);
    expect(header.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(event).toMatchObject({
      event_id: header.event_id,
      level: 'fatal',
      release: 'vigil-agent@9.9.9-test',
      tags: { component: 'agent', command: 'run', kind: 'uncaughtException' },
      exception: { values: [{ type: 'TypeError', value: 'boom with vgl_[redacted] on web-1' }] },
    });
    expect(request!.body).not.toContain(TEST_KEY.slice(4));
    // No host facts, no report contents: only what the error itself said.
    expect(event).not.toHaveProperty('server_name');
    expect(request!.body).not.toContain('6.1.0');
    expect(request!.body).not.toContain('PermitRootLogin');
    expect(existsSync(path.join(cli.dir, 'crash'))).toBe(true);
  });
});
