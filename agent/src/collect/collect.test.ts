import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportSchema } from '@vigil/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { silentLogger } from '../log.js';
import { certbotSettings } from '../plugins/certbot.js';
import { clamavSettings } from '../plugins/clamav.js';
import { runTest, type SolutionPlugin } from '../plugins/plugin.js';
import { checkSolutionSettings, NO_SETTINGS, type PluginSettings } from '../plugins/settings.js';
import { collectReport, type CollectOptions, type CollectProgress } from './collect.js';
import { collectHostFacts, osReleaseField, type SystemInfo } from './host-facts.js';

const system: SystemInfo = { hostname: () => 'web-1', release: () => '6.1.0-18-amd64', machine: () => 'x86_64' };
let fixtureDir: string;
let host: FixtureHost;

beforeAll(() => {
  fixtureDir = mkdtempSync(path.join(tmpdir(), 'vigil-collect-'));
  mkdirSync(path.join(fixtureDir, 'root/etc'), { recursive: true });
  writeFileSync(path.join(fixtureDir, 'root/etc/os-release'), 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n');
  writeFileSync(path.join(fixtureDir, 'root/etc/clamd.conf'), 'ScanArchive yes\n');
  host = new FixtureHost(fixtureDir);
});
afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

/** A plugin found on the host that reads one file through the Host and passes one test. */
const healthy: SolutionPlugin = {
  id: 'clamav',
  settings: clamavSettings,
  detect: async ({ host }) => ((await host.stat('/etc/clamd.conf')) ? { detectedBy: ['config'] } : undefined),
  inspect: async ({ host, options }) => ({
    version: '1.0.7',
    configuration: { ScanArchive: (await host.readFile('/etc/clamd.conf'))?.includes('yes') ?? false },
    metrics: { signatures: 8_700_000 },
    tests: [
      await runTest(host, 'eicar-detected', 'security', async () => ({ passed: true, message: 'EICAR detected' })),
      await runTest(host, 'settings-seen', 'requirement', async () => ({
        passed: options.settings.maxSignatureAgeDays === 3 && !options.allowStateChanges,
        message: JSON.stringify(options.settings),
      })),
    ],
    errors: [],
  }),
};
const absent: SolutionPlugin = {
  id: 'teler',
  settings: NO_SETTINGS,
  detect: async () => undefined,
  inspect: async () => Promise.reject(new Error('unreachable')),
};
const detectThrows: SolutionPlugin = {
  id: 'suricata',
  settings: NO_SETTINGS,
  detect: async () => {
    throw new Error('dpkg database is locked');
  },
  inspect: async () => Promise.reject(new Error('unreachable')),
};
const inspectThrows: SolutionPlugin = {
  id: 'fail2ban',
  settings: NO_SETTINGS,
  detect: async () => ({ detectedBy: ['package', 'unit'] }),
  inspect: async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'jails')");
  },
};
const hangs: SolutionPlugin = {
  id: 'vector',
  settings: NO_SETTINGS,
  detect: async () => ({ detectedBy: ['binary'] }),
  inspect: () => new Promise(() => undefined),
};
/** Settles when hangsThenRejects has rejected, long after its deadline. */
let lateFailureDone: Promise<void> = Promise.resolve();
const hangsThenRejects: SolutionPlugin = {
  id: 'ufw',
  settings: NO_SETTINGS,
  detect: () => {
    let done = () => {};
    lateFailureDone = new Promise<void>((resolve) => (done = resolve));
    return new Promise((_, reject) =>
      setTimeout(() => {
        reject(new Error('late failure'));
        done();
      }, 150),
    );
  },
  inspect: async () => Promise.reject(new Error('unreachable')),
};
const neverCalled: SolutionPlugin = {
  id: 'crowdsec',
  settings: NO_SETTINGS,
  detect: async () => {
    throw new Error('a skipped plugin must not run');
  },
  inspect: async () => Promise.reject(new Error('unreachable')),
};

/** What the config loader hands over for `solutions`: every plugin's settings, its defaults filled in. */
function loaded(plugins: readonly SolutionPlugin[], solutions: Record<string, unknown> = {}): PluginSettings {
  const { settings, issues } = checkSolutionSettings(plugins, solutions);
  expect(issues).toEqual([]);
  return settings;
}

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  const plugins = overrides.plugins ?? [healthy, absent, detectThrows, inspectThrows, hangs, hangsThenRejects, neverCalled];
  return {
    plugins,
    host,
    skip: ['crowdsec'],
    allowStateChanges: false,
    settings: overrides.settings ?? loaded(plugins, { clamav: { maxSignatureAgeDays: 3 } }),
    pluginTimeoutMs: 60,
    agentVersion: '0.1.0',
    delivery: { spooled: 2, dropped: 1 },
    log: silentLogger,
    system,
    newReportId: () => 'report-0123456789',
    now: () => new Date('2026-11-27T10:00:00.000Z'),
    ...overrides,
  };
}

describe('collectReport', () => {
  it('reports every plugin that ran, keeps going past throws and timeouts, and skips what it is told', async () => {
    const started = Date.now();
    const { report, outcomes } = await collectReport(options());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({
      reportId: 'report-0123456789',
      agentVersion: '0.1.0',
      host: { hostname: 'web-1', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64', arch: 'x86_64' },
      collectedAt: '2026-11-27T10:00:00.000Z',
      delivery: { spooled: 2, dropped: 1 },
    });
    expect(report.solutions.map((solution) => solution.id)).toEqual(['clamav', 'suricata', 'fail2ban', 'vector', 'ufw']);
    const [clamav, suricata, fail2ban, vector, ufw] = report.solutions;
    expect(clamav).toMatchObject({
      version: '1.0.7',
      detectedBy: ['config'],
      configuration: { ScanArchive: true },
      metrics: { signatures: 8_700_000 },
      errors: [],
    });
    expect(clamav!.tests.map((test) => [test.id, test.passed])).toEqual([
      ['eicar-detected', true],
      ['settings-seen', true],
    ]);
    expect(suricata).toEqual({
      id: 'suricata',
      version: null,
      detectedBy: [],
      configuration: {},
      metrics: {},
      tests: [],
      errors: [{ code: 'detect-failed', message: 'detect failed: dpkg database is locked' }],
    });
    expect(fail2ban).toMatchObject({
      detectedBy: ['package', 'unit'],
      errors: [{ code: 'inspect-failed', message: "inspect failed: Cannot read properties of undefined (reading 'jails')" }],
    });
    expect(vector).toMatchObject({
      detectedBy: ['binary'],
      errors: [{ code: 'timeout', message: 'inspection did not finish within 60 ms (plugin_timeout_seconds)' }],
    });
    expect(ufw).toMatchObject({ detectedBy: [], errors: [{ code: 'timeout', message: expect.stringMatching(/^detection did not finish/) }] });
    expect(outcomes.map((outcome) => [outcome.id, outcome.status])).toEqual([
      ['clamav', 'found'],
      ['teler', 'absent'],
      ['suricata', 'failed'],
      ['fail2ban', 'failed'],
      ['vector', 'timed-out'],
      ['ufw', 'timed-out'],
      ['crowdsec', 'skipped'],
    ]);
    // The abandoned ufw plugin rejects after its deadline: that must not surface as an unhandled
    // rejection, which Node reports once the microtasks of that turn have run, so one more turn.
    await lateFailureDone;
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('hands each plugin its settings, as the loader parsed them, and the state-change opt-in', async () => {
    const seen: { allowStateChanges: boolean; settings: unknown }[] = [];
    const probe: SolutionPlugin = {
      id: 'certbot',
      settings: certbotSettings,
      detect: async ({ options }) => {
        seen.push(options);
        return undefined;
      },
      inspect: async () => Promise.reject(new Error('unreachable')),
    };
    const settings = { certbot: { certificatesDir: '/etc/letsencrypt/live', minDaysBeforeExpiry: 14 } };
    await collectReport(options({ plugins: [probe], allowStateChanges: true, settings }));
    expect(seen).toEqual([{ allowStateChanges: true, settings: { certificatesDir: '/etc/letsencrypt/live', minDaysBeforeExpiry: 14 } }]);
    // Passed through, not parsed again on every tick.
    expect(seen[0]!.settings).toBe(settings.certbot);
  });

  it('hands on the defaults the loader filled in for settings the config leaves out', async () => {
    const { report } = await collectReport(options({ plugins: [healthy], settings: loaded([healthy]) }));
    expect(report.solutions[0]!.tests.find((test) => test.id === 'settings-seen')?.message).toBe('{"maxSignatureAgeDays":3}');
  });

  it('fails only the plugin it was given no settings for', async () => {
    // The loader gives every plugin its settings (config/load-config.test.ts refuses bad ones).
    const { report, outcomes } = await collectReport(options({ plugins: [healthy, absent], settings: loaded([absent]) }));
    expect(outcomes.map(({ id, status }) => [id, status])).toEqual([
      ['clamav', 'failed'],
      ['teler', 'absent'],
    ]);
    expect(report.solutions[0]!.errors).toEqual([
      {
        code: 'detect-failed',
        message: 'detect failed: no settings were given for clamav (the config loader gives every plugin its own)',
      },
    ]);
  });

  it('tells progress as plugins finish', async () => {
    const progress: CollectProgress[] = [];
    await collectReport(options({ plugins: [healthy, absent], onProgress: (event) => progress.push(structuredClone(event)) }));
    expect(progress[0]).toEqual({ done: 0, total: 2, running: ['clamav', 'teler'] });
    expect(progress.at(-1)).toEqual({ done: 2, total: 2, running: [] });
  });

  it('uses a host per plugin when given, and skips plugins without one', async () => {
    const { outcomes } = await collectReport(options({ plugins: [healthy, absent], hostFor: (id) => (id === 'clamav' ? host : undefined) }));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['found', 'skipped']);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const pending = collectReport(options({ plugins: [hangs], pluginTimeoutMs: 60_000, signal: controller.signal }));
    controller.abort(new Error('stopping'));
    await expect(pending).rejects.toThrow('stopping');
  });

  it('trims a plugin that returns data outside the protocol instead of losing the report', async () => {
    const sloppy: SolutionPlugin = {
      id: 'sshd',
      settings: NO_SETTINGS,
      detect: async () => ({ detectedBy: ['config'] }),
      inspect: async () => ({
        version: 'v'.repeat(1_000),
        configuration: { __proto_like__: 'x', Banner: 'b'.repeat(5_000), nested: { a: 1 } as never, ok: 'yes' },
        metrics: { good: 1, bad: Number.NaN },
        tests: [
          { id: 'root-login', type: 'security', passed: true, message: 'm'.repeat(3_000), durationMs: 12.7 },
          { id: 'root-login', type: 'security', passed: false, message: 'again', durationMs: 1 },
          { id: 'Bad Id', type: 'security', passed: true, message: '', durationMs: 1 },
        ],
        errors: [],
      }),
    };
    const { report } = await collectReport(options({ plugins: [sloppy] }));
    expect(reportSchema.safeParse(report).success).toBe(true);
    const [sshd] = report.solutions;
    expect(sshd!.version).toHaveLength(256);
    expect(sshd!.configuration).toEqual({ Banner: expect.stringMatching(/^b{2047}…$/), nested: '{"a":1}', ok: 'yes' });
    expect(sshd!.metrics).toEqual({ good: 1 });
    expect(sshd!.tests).toEqual([{ id: 'root-login', type: 'security', passed: true, message: expect.any(String), durationMs: 13 }]);
    expect(sshd!.tests[0]!.message).toHaveLength(2000);
    expect(sshd!.errors!.map((error) => error.message)).toEqual([
      'configuration entries dropped for an invalid name: 1 ("__proto_like__")',
      'configuration values cut to the size limit: 1 ("Banner")',
      'configuration values that were objects, sent as JSON text: 1 ("nested")',
      'metrics dropped for not being a finite number: 1 ("bad")',
      'tests dropped for repeating an id: 1 ("root-login")',
      'tests dropped for an invalid id: 1 ("Bad Id")',
    ]);
  });

  it('keeps the report under the size limit by leaving out the largest configurations', async () => {
    const huge = (id: SolutionPlugin['id']): SolutionPlugin => ({
      id,
      settings: NO_SETTINGS,
      detect: async () => ({ detectedBy: ['config'] }),
      inspect: async () => ({
        version: '1',
        configuration: Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`k${index}`, 'x'.repeat(2_000)])),
        metrics: {},
        tests: [{ id: 't', type: 'presence', passed: true, message: 'ok', durationMs: 1 }],
        errors: [],
      }),
    });
    const plugins = [huge('clamav'), huge('fail2ban')];
    const { report } = await collectReport(options({ plugins, settings: loaded(plugins) }));
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(256 * 1024);
    expect(reportSchema.safeParse(report).success).toBe(true);
    const left = report.solutions.filter((solution) => Object.keys(solution.configuration).length === 0);
    expect(left.length).toBeGreaterThan(0);
    expect(left[0]!.errors).toEqual([expect.objectContaining({ code: 'report-too-large' })]);
    expect(report.solutions.every((solution) => solution.tests.length === 1)).toBe(true);
  });

  it('builds a fresh UUID report id by default', async () => {
    const { report } = await collectReport({ ...options({ plugins: [] }), newReportId: undefined });
    expect(report.reportId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(report.solutions).toEqual([]);
  });
});

describe('collectHostFacts', () => {
  it('reads PRETTY_NAME through the host and the rest from the system', async () => {
    expect(await collectHostFacts(host, system)).toEqual({
      hostname: 'web-1',
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1.0-18-amd64',
      arch: 'x86_64',
    });
  });

  it('leaves out what it cannot learn', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'vigil-empty-'));
    try {
      const failing: SystemInfo = {
        ...system,
        hostname: () => {
          throw new Error('no');
        },
      };
      expect(await collectHostFacts(new FixtureHost(empty), failing)).toEqual({ kernel: '6.1.0-18-amd64', arch: 'x86_64' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('parses os-release quoting', () => {
    expect(osReleaseField('PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', 'PRETTY_NAME')).toBe('Ubuntu 24.04.1 LTS');
    expect(osReleaseField("NAME='Alpine'\n", 'NAME')).toBe('Alpine');
    expect(osReleaseField('NAME=Fedora\n', 'NAME')).toBe('Fedora');
    expect(osReleaseField('PRETTY_NAME="say \\"hi\\""\n', 'PRETTY_NAME')).toBe('say "hi"');
    expect(osReleaseField('NAME=x\n', 'VERSION')).toBeUndefined();
  });
});
