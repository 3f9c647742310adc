// `vigil-agent relay …` and the doctor's relay line, through runCli with the CLI's test deps and a
// real relay on a free port.
import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCliArgs } from '../src/cli/args.js';
import { runCli } from '../src/cli/cli.js';
import { EXIT } from '../src/cli/exit-codes.js';
import { passingPlugin, testCli, TEST_KEY, writeConfig, type TestCli } from './support/cli.js';
import { queryRelayHealth } from '../src/relay/health-client.js';
import { fakeUplink, startTestRelay, testCertificate, type FakeUplink, type TestRelay } from './support/relay.js';

let cli: TestCli;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  cli?.cleanup();
});
beforeAll(() => testCertificate(), 60_000);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function relayConfig(extra = ''): string {
  return writeConfig(
    cli.dir,
    `endpoint: http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport\nrelay:\n  listen: 127.0.0.1:8443\n  state_dir: ${cli.dir}/relay\n${extra}`,
  );
}

describe('parseCliArgs relay', () => {
  it('reads the relay subcommands', () => {
    expect(parseCliArgs(['relay'])).toMatchObject({ command: 'relay', relay: { action: 'serve' } });
    expect(parseCliArgs(['relay', 'allow', 'aaaaaaaaaaaaaaaa'])).toMatchObject({ relay: { action: 'allow', keyId: 'aaaaaaaaaaaaaaaa' } });
    expect(parseCliArgs(['relay', 'list', '-c', '/x.yaml'])).toMatchObject({ relay: { action: 'list' }, configPath: '/x.yaml' });
    expect(parseCliArgs(['relay', 'fingerprint'])).toMatchObject({ relay: { action: 'fingerprint' } });
  });

  it('refuses what it does not know', () => {
    expect(() => parseCliArgs(['relay', 'start'])).toThrow('unknown relay command "start"');
    expect(() => parseCliArgs(['relay', 'allow'])).toThrow('relay allow needs a key id');
    expect(() => parseCliArgs(['relay', 'list', 'extra'])).toThrow('unexpected argument "extra"');
    expect(() => parseCliArgs(['relay', 'deny', 'a', 'b'])).toThrow('unexpected argument "b"');
    expect(() => parseCliArgs(['once', 'allow'])).toThrow('unexpected argument "allow"');
  });
});

describe('vigil-agent relay allow, deny, list', () => {
  it('keeps key ids in the state directory and never a key', async () => {
    cli = testCli();
    const config = relayConfig();
    const run = (...argv: string[]) => runCli([...argv, '--config', config], cli.deps);
    expect(await run('relay', 'list')).toBe(EXIT.ok);
    expect(cli.stdout.lines()).toEqual(['allowed: every well-formed key (no allowlist); the cloud still checks each key', 'denied: none']);
    expect(await run('relay', 'allow', TEST_KEY)).toBe(EXIT.ok);
    expect(await run('relay', 'deny', 'vgl_bbbbbbbbbbbbbbbb_…')).toBe(EXIT.ok);
    expect(await run('relay', 'allow', 'NOT-A-KEY-ID')).toBe(EXIT.usage);
    expect(cli.stderr.text).toContain('not a key id');
    cli.stdout.text = '';
    expect(await run('relay', 'list')).toBe(EXIT.ok);
    expect(cli.stdout.lines()).toEqual(['allowed (only these are forwarded): abcdefghijklmnop', 'denied: bbbbbbbbbbbbbbbb']);
    const file = await readFile(path.join(cli.dir, 'relay', 'access.json'), 'utf8');
    expect(file).not.toContain('KKKK');
  });
});

describe('vigil-agent relay fingerprint', () => {
  it('makes a self-signed certificate once, its key private, and prints its SHA-256', async () => {
    cli = testCli();
    const config = relayConfig();
    expect(await runCli(['relay', 'fingerprint', '--config', config], cli.deps)).toBe(EXIT.ok);
    const fingerprint = cli.stdout.text.trim();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(path.join(cli.dir, 'relay', 'relay-key.pem'))).mode & 0o777).toBe(0o600);
    cli.stdout.text = '';
    expect(await runCli(['relay', 'fingerprint', '--config', config], cli.deps)).toBe(EXIT.ok);
    expect(cli.stdout.text.trim()).toBe(fingerprint);
  }, 60_000);
});

describe('vigil-agent relay', () => {
  it('exits 3 without a relay: section, a listen address, an uplink, or with a plain http:// uplink elsewhere', async () => {
    cli = testCli();
    expect(await runCli(['relay', '--config', cli.configPath], cli.deps)).toBe(EXIT.config);
    expect(cli.stderr.text).toContain('relay: missing: add a relay: section');
    cli.stderr.text = '';
    const noListen = writeConfig(cli.dir, `endpoint: https://ingest.example.com/x\nrelay:\n  state_dir: ${cli.dir}/relay\n`);
    expect(await runCli(['relay', '--config', noListen], cli.deps)).toBe(EXIT.config);
    expect(cli.stderr.text).toContain('relay.listen: required: the address agents connect to, e.g. 10.0.0.5:8443');
    cli.stderr.text = '';
    const plain = writeConfig(cli.dir, `relay:\n  listen: 10.0.0.5:8443\n  uplink: http://ingest.example.com/x\n  state_dir: ${cli.dir}/relay\n`);
    expect(await runCli(['relay', '--config', plain], cli.deps)).toBe(EXIT.config);
    expect(cli.stderr.text).toContain('relay.uplink: plain http:// to another machine');
    cli.stderr.text = '';
    const config = writeConfig(cli.dir, `relay:\n  listen: 127.0.0.1:8443\n  state_dir: ${cli.dir}/relay\n`);
    expect(await runCli(['relay', '--config', config], cli.deps)).toBe(EXIT.config);
    expect(cli.stderr.text).toContain('relay.uplink: required, or endpoint');
    cli.stderr.text = '';
    const bad = writeConfig(cli.dir, `relay:\n  listen: 8443\n  lissen: x\n`);
    expect(await runCli(['relay', '--config', bad], cli.deps)).toBe(EXIT.config);
    expect(cli.stderr.lines()).toEqual([
      `vigil-agent: invalid config (${bad}):`,
      '  relay.listen: must be host:port, e.g. 0.0.0.0:8443 (line 2)',
      '  relay.lissen: unknown field (did you mean "listen"?) (line 3)',
    ]);
  });

  it('serves until SIGTERM, logging the fingerprint agents pin', async () => {
    cli = testCli();
    const uplink = await fakeUplink();
    cleanups.push(() => uplink.close());
    const port = await freePort();
    const config = writeConfig(cli.dir, `relay:\n  listen: 127.0.0.1:${port}\n  uplink: ${uplink.url}\n  state_dir: ${cli.dir}/relay\n`);
    const exit = runCli(['relay', '--config', config], cli.deps);
    const started = await vi.waitFor(
      () => {
        const line = cli.stdout.json().find((entry) => entry.message === 'relay listening');
        if (!line) throw new Error('not listening yet');
        return line;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(started).toMatchObject({ listen: `127.0.0.1:${port}`, uplink: uplink.url, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const health = await queryRelayHealth(`https://127.0.0.1:${port}/ingest`, String(started.fingerprint));
    expect(health).toEqual({ ok: true, uplink: 'unknown', spooled: 0, dropped: 0, version: '9.9.9-test' });
    cli.signals.get('SIGTERM')!();
    expect(await exit).toBe(EXIT.ok);
    expect(cli.stdout.json().at(-1)).toMatchObject({ message: 'relay stopped' });
    expect((await stat(path.join(cli.dir, 'relay', 'relay.secret'))).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('exits 1 when its port is taken', async () => {
    cli = testCli();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as net.AddressInfo;
    const config = writeConfig(cli.dir, `relay:\n  listen: 127.0.0.1:${port}\n  uplink: http://127.0.0.1:9/x\n  state_dir: ${cli.dir}/relay\n`);
    expect(await runCli(['relay', '--config', config], cli.deps)).toBe(EXIT.failure);
    expect(cli.stderr.text).toContain('the relay could not start: listen EADDRINUSE');
  }, 60_000);
});

describe('vigil-agent doctor behind a relay', () => {
  let uplink: FakeUplink;
  let relay: TestRelay;

  async function setUp() {
    uplink = await fakeUplink();
    relay = await startTestRelay(uplink.url);
    cleanups.push(
      () => uplink.close(),
      () => relay.close(),
    );
  }

  it('prints the relay status line with the pin', async () => {
    await setUp();
    cli = testCli([passingPlugin]);
    const config = writeConfig(
      cli.dir,
      `endpoint: ${relay.endpoint}\nrelay_fingerprint: ${relay.fingerprint.toUpperCase().match(/../g)!.join(':')}\nkey_file: ${cli.dir}/key\n`,
    );
    expect(await runCli(['doctor', '--config', config], cli.deps)).toBe(EXIT.ok);
    expect(cli.deliveries[0]!.config.pinnedFingerprint).toBe(relay.fingerprint);
    expect(cli.stdout.lines()).toContain(
      `✓ relay https://127.0.0.1:${relay.port} (vigil-agent 9.9.9-test, certificate pinned): uplink not used yet, 0 reports spooled, 0 dropped`,
    );
  });

  it('fails when the relay presents another certificate', async () => {
    await setUp();
    cli = testCli([passingPlugin]);
    const config = writeConfig(cli.dir, `endpoint: ${relay.endpoint}\nrelay_fingerprint: ${'ab'.repeat(32)}\nkey_file: ${cli.dir}/key\n`);
    expect(await runCli(['doctor', '--config', config], cli.deps)).toBe(EXIT.failure);
    expect(cli.stdout.lines()).toContainEqual(
      expect.stringMatching(/^✗ relay https:\/\/127\.0\.0\.1:\d+: no health answer: the certificate of .* does not match relay_fingerprint/),
    );
  });
});
