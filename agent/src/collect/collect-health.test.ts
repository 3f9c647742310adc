// The agent's own health in a report (agentHealth) and the host-detail opt-out (hide_host_details).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportSchema } from '@vigil/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { silentLogger } from '../log.js';
import type { SolutionPlugin } from '../plugins/plugin.js';
import { checkSolutionSettings, NO_SETTINGS } from '../plugins/settings.js';
import { collectReport, type CollectOptions } from './collect.js';
import { collectHostFacts, type SystemInfo } from './host-facts.js';

const system: SystemInfo = { hostname: () => 'web-1', release: () => '6.1.0-18-amd64', machine: () => 'x86_64' };
let fixtureDir: string;
let host: FixtureHost;

beforeAll(() => {
  fixtureDir = mkdtempSync(path.join(tmpdir(), 'vigil-collect-health-'));
  mkdirSync(path.join(fixtureDir, 'root/etc'), { recursive: true });
  writeFileSync(path.join(fixtureDir, 'root/etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
  host = new FixtureHost(fixtureDir);
});
afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

const slow: SolutionPlugin = {
  id: 'clamav',
  settings: NO_SETTINGS,
  detect: async () => ({ detectedBy: ['config'] }),
  inspect: async () => {
    await new Promise((resolve) => setTimeout(resolve, 40));
    return { version: '1.0.7', configuration: {}, metrics: {}, tests: [], errors: [] };
  },
};
const absent: SolutionPlugin = {
  id: 'teler',
  settings: NO_SETTINGS,
  detect: async () => undefined,
  inspect: async () => Promise.reject(new Error('no')),
};
const throws: SolutionPlugin = {
  id: 'suricata',
  settings: NO_SETTINGS,
  detect: async () => {
    throw new Error('dpkg database is locked');
  },
  inspect: async () => Promise.reject(new Error('no')),
};
const hangs: SolutionPlugin = {
  id: 'vector',
  settings: NO_SETTINGS,
  detect: async () => ({ detectedBy: ['binary'] }),
  inspect: () => new Promise(() => undefined),
};
const skipped: SolutionPlugin = {
  id: 'crowdsec',
  settings: NO_SETTINGS,
  detect: async () => undefined,
  inspect: async () => Promise.reject(new Error('no')),
};

function options(overrides: Partial<CollectOptions> = {}): CollectOptions {
  const plugins = overrides.plugins ?? [slow, absent, throws, hangs, skipped];
  return {
    plugins,
    host,
    settings: checkSolutionSettings(plugins, {}).settings,
    skip: ['crowdsec'],
    allowStateChanges: false,
    pluginTimeoutMs: 100,
    agentVersion: '0.2.0',
    log: silentLogger,
    system,
    newReportId: () => 'report-0123456789',
    now: () => new Date('2026-11-27T10:00:00.000Z'),
    ...overrides,
  };
}

describe('collectReport: agentHealth', () => {
  it('carries the time and outcome of every plugin that ran, the failures, and what the caller knows', async () => {
    const crash = {
      at: '2026-11-27T09:58:00.000Z',
      kind: 'uncaughtException' as const,
      message: 'TypeError: boom',
      stack: 'TypeError: boom\n    at x (y.mjs:1:2)',
      version: '0.1.0',
    };
    const { report } = await collectReport(
      options({ health: { uptimeSeconds: 3600.7, spool: { reports: 2, bytes: 4096, dropped: 1 }, crashes: { count: 3, last: crash } } }),
    );
    expect(reportSchema.safeParse(report).success).toBe(true);
    const health = report.agentHealth!;
    expect(health).toMatchObject({
      version: '0.2.0',
      uptimeSeconds: 3600,
      pluginErrors: 2,
      spool: { reports: 2, bytes: 4096, dropped: 1 },
      crashes: 3,
      lastCrash: crash,
    });
    expect(health.plugins.map((plugin) => [plugin.id, plugin.status])).toEqual([
      ['clamav', 'found'],
      ['teler', 'absent'],
      ['suricata', 'failed'],
      ['vector', 'timed-out'],
    ]);
    const time = Object.fromEntries(health.plugins.map((plugin) => [plugin.id, plugin.durationMs]));
    expect(time.clamav).toBeGreaterThanOrEqual(35);
    expect(time.vector).toBeGreaterThanOrEqual(95);
    expect(health).not.toHaveProperty('hiddenHostDetails');
  });

  it('is left out when the caller gives no health (send_agent_health: false)', async () => {
    const { report } = await collectReport(options());
    expect(report).not.toHaveProperty('agentHealth');
  });

  it('has no spool or crash when they are unknown (collect)', async () => {
    const { report } = await collectReport(options({ health: { uptimeSeconds: 5 } }));
    expect(report.agentHealth).not.toHaveProperty('spool');
    expect(report.agentHealth).not.toHaveProperty('lastCrash');
    expect(report.agentHealth).not.toHaveProperty('crashes');
  });
});

describe('hide_host_details', () => {
  it('leaves each hidden detail out of the report and says which ones are hidden', async () => {
    const { report } = await collectReport(options({ hideHostDetails: ['hostname', 'kernel'], health: { uptimeSeconds: 1 } }));
    expect(report.host).toEqual({ os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x86_64' });
    expect(report.agentHealth!.hiddenHostDetails).toEqual(['hostname', 'kernel']);
    expect(JSON.stringify(report)).not.toContain('web-1');
    expect(JSON.stringify(report)).not.toContain('6.1.0-18-amd64');
  });

  it('can hide all four, and then does not even read them', async () => {
    const touched: string[] = [];
    const spy: SystemInfo = {
      hostname: () => (touched.push('hostname'), 'web-1'),
      release: () => (touched.push('release'), '6.1'),
      machine: () => (touched.push('machine'), 'x86_64'),
    };
    const read: string[] = [];
    const spyHost = Object.create(host, {
      readFile: { value: async (file: string) => (read.push(file), host.readFile(file)) },
    }) as FixtureHost;
    expect(await collectHostFacts(spyHost, spy, ['hostname', 'os', 'kernel', 'arch'])).toEqual({});
    expect(touched).toEqual([]);
    expect(read).toEqual([]);
    expect(await collectHostFacts(spyHost, spy)).toEqual({
      hostname: 'web-1',
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.1',
      arch: 'x86_64',
    });
  });
});
