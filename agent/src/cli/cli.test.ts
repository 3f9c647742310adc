import { reportSchema } from '@vigil/schema';
import type { SolutionPlugin } from '../plugins/plugin.js';
import { positiveNumber, settingsSchema } from '../plugins/settings.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';
import { runCli } from './cli.js';
import { EXIT } from './exit-codes.js';
import { exitCodeFor } from './once-command.js';
import { jitteredMs } from './run-command.js';
import { crashingPlugin, passingPlugin, testCli, TEST_ENDPOINT, TEST_KEY, writeConfig, type TestCli } from '../../test/support/cli.js';

let cli: TestCli;
afterEach(() => cli?.cleanup());

function run(...argv: string[]) {
  return runCli(argv, cli.deps);
}

describe('parseCliArgs', () => {
  it('reads commands and the global --config', () => {
    expect(parseCliArgs(['run', '--config', '/x.yaml'])).toMatchObject({ command: 'run', configPath: '/x.yaml', json: false });
    expect(parseCliArgs(['--config=/x.yaml', 'once'])).toMatchObject({ command: 'once', configPath: '/x.yaml' });
    expect(parseCliArgs(['collect', '--json'])).toMatchObject({ command: 'collect', json: true });
    expect(parseCliArgs([])).toMatchObject({ command: 'help' });
    expect(parseCliArgs(['doctor', '-h'])).toMatchObject({ command: 'help' });
    expect(parseCliArgs(['-V'])).toMatchObject({ version: true });
    expect(parseCliArgs(['collect', '--fixture', 'ufw=/f/ufw/active'])).toMatchObject({ fixtures: { ufw: '/f/ufw/active' } });
  });

  it('refuses what it does not know, briefly', () => {
    expect(() => parseCliArgs(['start'])).toThrow('unknown command "start"');
    expect(() => parseCliArgs(['run', '--verbose'])).toThrow(/^Unknown option '--verbose'$/);
    expect(() => parseCliArgs(['once', '--json'])).toThrow('--json is an option of collect');
    expect(() => parseCliArgs(['run', 'now'])).toThrow('unexpected argument "now"');
    expect(() => parseCliArgs(['run', '--config'])).toThrow(/--config/);
    expect(() => parseCliArgs(['collect', '--fixture', 'nonsense'])).toThrow('--fixture wants ID=DIR');
  });
});

describe('vigil-agent help, version and usage errors', () => {
  it('prints the version and the help with the exit codes', async () => {
    cli = testCli();
    expect(await run('--version')).toBe(EXIT.ok);
    expect(cli.stdout.text).toBe('9.9.9-test\n');
    expect(await run('help')).toBe(EXIT.ok);
    expect(cli.stdout.text).toContain('Usage: vigil-agent <command> [--config FILE]');
    expect(cli.stdout.text).toContain('  5  the server rejected the key');
  });

  it('exits 2 on a usage error and says where help is', async () => {
    cli = testCli();
    expect(await run('frobnicate')).toBe(EXIT.usage);
    expect(cli.stderr.text).toBe('vigil-agent: unknown command "frobnicate"\nRun "vigil-agent --help" for usage.\n');
  });
});

describe('vigil-agent once', () => {
  it('collects, submits and exits 0 when the report was delivered, logging JSON on stdout', async () => {
    cli = testCli();
    expect(await run('once', '--config', cli.configPath)).toBe(EXIT.ok);
    const [delivery] = cli.deliveries;
    expect(delivery!.config).toEqual({
      endpoint: TEST_ENDPOINT,
      key: TEST_KEY,
      // Where the key came from: key rotation (agent/src/rotation/) writes the new key there.
      keyFile: `${cli.dir}/key`,
      spoolDir: `${cli.dir}/spool`,
      maxSpooledReports: 500,
      maxSpoolBytes: 52_428_800,
      requestTimeoutMs: 30_000,
    });
    expect(delivery!.calls).toEqual(['status', 'submit']);
    const report = delivery!.submitted[0]!;
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ agentVersion: '9.9.9-test', delivery: { spooled: 0, dropped: 0 } });
    const logs = cli.stdout.json();
    expect(logs.map((line) => line.message)).toEqual(['report collected', 'report delivered']);
    expect(logs[0]).toMatchObject({ level: 'info', solutions: 2, testsPassed: 2, testsFailed: 1 });
    expect(cli.stdout.text).not.toContain(TEST_KEY);
    expect(cli.stderr.text).toBe('');
  });

  it.each([
    [{ error: { kind: 'network' as const, message: 'ECONNREFUSED' } }, EXIT.spooled],
    [{ error: { kind: 'server' as const, message: '503' } }, EXIT.spooled],
    [{ error: { kind: 'rate-limited' as const, message: 'slow down', retryAfterSeconds: 60 } }, EXIT.spooled],
    [{ error: { kind: 'unauthenticated' as const, message: 'no' } }, EXIT.keyRejected],
    [{ error: { kind: 'invalid' as const, message: 'bad' } }, EXIT.reportRejected],
  ])('exits with the delivery outcome %j → %i', async (answer, code) => {
    cli = testCli();
    cli.script = (delivery) => (delivery.answers = [answer]);
    expect(await run('once', '--config', cli.configPath)).toBe(code);
    expect(cli.stdout.json().at(-1)).toMatchObject({ level: 'error', message: 'report not delivered', error: answer.error.kind, exitCode: code });
  });

  it('maps every outcome to an exit code', () => {
    expect(exitCodeFor('r1', { delivered: ['r0', 'r1'], spooled: 0, dropped: 0 })).toBe(EXIT.ok);
    expect(exitCodeFor('r1', { delivered: [], spooled: 0, dropped: 1 })).toBe(EXIT.failure);
    expect(exitCodeFor('r1', { delivered: [], spooled: 3, dropped: 0 })).toBe(EXIT.spooled);
  });

  it('exits 3 with every problem on stderr when the config is invalid', async () => {
    cli = testCli();
    const config = writeConfig(cli.dir, `endpoint: ${TEST_ENDPOINT}\nkey: ${TEST_KEY}\ninterval_seconds: 5\ncolor: red\n`);
    expect(await run('once', '--config', config)).toBe(EXIT.config);
    expect(cli.stderr.text).toBe(
      `vigil-agent: invalid config (${config}):\n  interval_seconds: must be at least 60 (line 3)\n  color: unknown field (line 4)\n`,
    );
    expect(cli.deliveries).toEqual([]);
  });

  it('takes the config path from VIGIL_CONFIG', async () => {
    cli = testCli();
    cli.deps.env = { VIGIL_CONFIG: cli.configPath };
    expect(await run('once')).toBe(EXIT.ok);
  });
});

describe('vigil-agent collect', () => {
  it('--json prints exactly the report and creates no delivery', async () => {
    cli = testCli();
    expect(await run('collect', '--json', '--config', cli.configPath)).toBe(EXIT.ok);
    const report = JSON.parse(cli.stdout.text) as unknown;
    expect(reportSchema.parse(report).solutions.map((solution) => solution.id)).toEqual(['ufw', 'sshd']);
    expect(report).not.toHaveProperty('delivery');
    expect(cli.deliveries).toEqual([]);
  });

  it('needs no key or config file at all', async () => {
    cli = testCli();
    cli.deps.env = { VIGIL_CONFIG: undefined };
    const host = cli.deps.host;
    // The default path, /etc/vigil/agent.yaml, is absent on this "machine".
    cli.deps.host = Object.assign(Object.create(host) as typeof host, {
      stat: async (file: string) => (file === '/etc/vigil/agent.yaml' ? undefined : host.stat(file)),
    });
    expect(await run('collect', '--json')).toBe(EXIT.ok);
    expect(JSON.parse(cli.stdout.text)).toHaveProperty('reportId');
  });

  it('prints a line per solution with its failed tests', async () => {
    cli = testCli();
    expect(await run('collect', '--config', cli.configPath)).toBe(EXIT.ok);
    expect(cli.stdout.lines()).toEqual([
      expect.stringMatching(/^web-1 \(.*6\.1\.0, x86_64\)$/),
      '✓ ufw 0.36.2 (found by package): 1/1 tests passed',
      '✗ sshd (found by config): 1/2 tests passed',
      '    ✗ root-login (security): PermitRootLogin yes',
      '– not found: teler',
      '2 solutions, 2 tests passed, 1 failed. Nothing was sent (collect --json prints the report).',
    ]);
  });

  it('checks solutions.<id> against the plugins it runs, and hands each its settings', async () => {
    // A ufw of its own settings: the registry's ufw takes none, so only deps.plugins can accept this.
    const ufw: SolutionPlugin = {
      ...passingPlugin,
      settings: settingsSchema({ threshold: positiveNumber(5) }),
      inspect: async ({ options }) => ({
        version: null,
        configuration: { seen: JSON.stringify(options.settings) },
        metrics: {},
        tests: [],
        errors: [],
      }),
    };
    cli = testCli([ufw]);
    const config = writeConfig(cli.dir, 'solutions:\n  ufw: { threshold: 2 }\n');
    expect(await run('collect', '--json', '--config', config)).toBe(EXIT.ok);
    expect(reportSchema.parse(JSON.parse(cli.stdout.text)).solutions[0]!.configuration).toEqual({ seen: '{"threshold":2}' });

    const bad = writeConfig(cli.dir, 'solutions:\n  ufw: { threshold: 0 }\n');
    expect(await run('collect', '--json', '--config', bad)).toBe(EXIT.config);
    expect(cli.stderr.text).toBe(`vigil-agent: invalid config (${bad}):\n  solutions.ufw.threshold: must be greater than 0 (line 2)\n`);
  });

  it('honours skip_solutions from the environment', async () => {
    cli = testCli();
    cli.deps.env = { VIGIL_SKIP_SOLUTIONS: 'sshd' };
    await run('collect', '--config', cli.configPath);
    expect(cli.stdout.lines()).toContain('– skipped: sshd');
  });
});

describe('vigil-agent doctor', () => {
  it('prints one ✓ line per check and exits 0', async () => {
    cli = testCli();
    expect(await run('doctor', '--config', cli.configPath)).toBe(EXIT.ok);
    expect(cli.stdout.lines()).toEqual([
      'vigil-agent 9.9.9-test doctor',
      `✓ config ${cli.configPath} is valid`,
      expect.stringMatching(new RegExp(`^✓ key file ${cli.dir}/key: mode 0600, owner uid \\d+$`)),
      `✓ endpoint ${TEST_ENDPOINT} is reachable`,
      '✓ key accepted by the server',
      `✓ spool ${cli.dir}/spool: 0 reports waiting (0 KiB), 0 dropped so far`,
      '✓ ufw 0.36.2 (found by package): 1/1 tests passed',
      '✗ sshd (found by config): 1/2 tests passed',
      '    ✗ root-login (security): PermitRootLogin yes',
      '– not found: teler',
    ]);
    expect(cli.deliveries[0]!.calls).toEqual(['probe', 'status']);
  });

  it('exits 5 when the server rejects the key, 1 when it cannot be reached', async () => {
    cli = testCli();
    cli.script = (delivery) => (delivery.probeResult = { reachable: true, keyValid: false, message: 'the ingest refused the key' });
    expect(await run('doctor', '--config', cli.configPath)).toBe(EXIT.keyRejected);
    expect(cli.stdout.lines()).toContain('✗ key rejected by the server: the ingest refused the key');
    cli.cleanup();

    cli = testCli();
    cli.script = (delivery) => (delivery.probeResult = { reachable: false, keyValid: undefined, message: 'cannot reach it: ECONNREFUSED' });
    expect(await run('doctor', '--config', cli.configPath)).toBe(EXIT.failure);
    expect(cli.stdout.lines()).toContain(`✗ endpoint ${TEST_ENDPOINT}: cannot reach it: ECONNREFUSED`);
  });

  it('exits 3 on a world-readable key file, and still checks the solutions', async () => {
    cli = testCli([passingPlugin]);
    const { chmodSync } = await import('node:fs');
    chmodSync(`${cli.dir}/key`, 0o644);
    expect(await run('doctor', '--config', cli.configPath)).toBe(EXIT.config);
    expect(cli.stdout.lines()).toEqual([
      'vigil-agent 9.9.9-test doctor',
      '✓ config file parsed',
      `✗ key ${cli.dir}/key:`,
      `    key_file ${cli.dir}/key is readable by every user (mode 0644): run: chmod 600 ${cli.dir}/key`,
      '– endpoint, key and spool not checked: fix the config first',
      '✓ ufw 0.36.2 (found by package): 1/1 tests passed',
    ]);
    expect(cli.deliveries).toEqual([]);
  });

  it('exits 1 when a plugin crashes', async () => {
    cli = testCli([passingPlugin, crashingPlugin]);
    expect(await run('doctor', '--config', cli.configPath)).toBe(EXIT.failure);
    expect(cli.stdout.lines()).toContain('    ✗ error detect-failed: detect failed: boom');
  });
});

describe('vigil-agent run', () => {
  it('ticks, retries the spool on the backoff schedule, follows the server interval, and stops on SIGTERM', async () => {
    cli = testCli([passingPlugin]);
    cli.script = (delivery) => {
      delivery.retryDelayMs = 5_000;
      delivery.answers = [
        { error: { kind: 'network', message: 'ECONNREFUSED' } }, // tick 1 → spooled
        { spooled: 0, delivered: ['old'], intervalSeconds: 600 }, // retry flush succeeds
        { intervalSeconds: 600 }, // tick 2
      ];
    };
    cli.afterSleep = (count) => {
      if (count === 3) cli.signals.get('SIGTERM')!();
    };
    expect(await run('run', '--config', cli.configPath)).toBe(EXIT.ok);
    const [delivery] = cli.deliveries;
    expect(delivery!.calls).toEqual(['status', 'submit', 'flush', 'status', 'submit']);
    // 5 s backoff, then the rest of the 600 s interval the retry's reply set, counted from tick 1's
    // start (random 0.5 → no jitter), then 600 s.
    expect(cli.sleeps).toEqual([5_000, 595_000, 600_000]);
    expect(delivery!.submitted[1]!.delivery).toEqual({ spooled: 0, dropped: 0 });
    const messages = cli.stdout.json().map((line) => line.message);
    expect(messages).toEqual([
      'agent started',
      'report collected',
      'report not delivered yet',
      'reporting interval set by the server',
      'spooled reports delivered',
      'report collected',
      'report delivered',
      'stopping',
      'agent stopped',
    ]);
    expect(cli.signals.size).toBe(0);
  });

  it('reads the config again on SIGHUP and keeps the old one when the new one is invalid', async () => {
    cli = testCli([passingPlugin]);
    cli.afterSleep = (count) => {
      if (count === 1) {
        writeConfig(cli.dir, `endpoint: https://example.test/ingest\nkey: ${TEST_KEY}\n`);
        cli.signals.get('SIGHUP')!();
      }
      if (count === 2) {
        writeConfig(cli.dir, 'endpoint: nope\n');
        cli.signals.get('SIGHUP')!();
      }
      if (count === 3) cli.signals.get('SIGINT')!();
    };
    expect(await run('run', '--config', cli.configPath)).toBe(EXIT.ok);
    expect(cli.deliveries.map((delivery) => delivery.config.endpoint)).toEqual([TEST_ENDPOINT, 'https://example.test/ingest']);
    const logs = cli.stdout.json();
    expect(logs.find((line) => line.message === 'config reload failed; keeping the running config')).toMatchObject({
      problems: expect.arrayContaining(['endpoint: must be an http:// or https:// URL (line 1)']),
    });
    expect(cli.deliveries[1]!.calls.filter((call) => call === 'submit')).toHaveLength(2);
  });

  it('exits 3 when the config is invalid at start', async () => {
    cli = testCli();
    writeConfig(cli.dir, 'endpoint: x\n');
    expect(await run('run', '--config', cli.configPath)).toBe(EXIT.config);
  });

  it('spreads ticks by ±10 %', () => {
    expect(jitteredMs(300, () => 0)).toBe(270_000);
    expect(jitteredMs(300, () => 1)).toBe(330_000);
  });
});
