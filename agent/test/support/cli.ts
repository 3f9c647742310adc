// Fake deps for CLI tests: a temp dir holding a config and key file (read through a RealHost),
// fake plugins, a scripted delivery, captured output, a fake clock and controllable signals.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentCrashKind, ReportInput } from '@vigil/schema';
import type { Delivery, DeliveryConfig, DeliveryOutcome, ProbeResult } from '../../src/delivery/delivery.js';
import { RealHost } from '../../src/host/real-host.js';
import type { SolutionPlugin } from '../../src/plugins/plugin.js';
import { NO_SETTINGS } from '../../src/plugins/settings.js';
import type { CliDeps } from '../../src/cli/deps.js';

export const TEST_KEY = `vgl_abcdefghijklmnop_${'K'.repeat(43)}`;
export const TEST_ENDPOINT = 'http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport';

export const passingPlugin: SolutionPlugin = {
  id: 'ufw',
  settings: NO_SETTINGS,
  detect: async () => ({ detectedBy: ['package'] }),
  inspect: async () => ({
    version: '0.36.2',
    configuration: { defaultIncoming: 'deny' },
    metrics: { rules: 4 },
    tests: [{ id: 'active', type: 'operational', passed: true, message: 'Status: active', durationMs: 3 }],
    errors: [],
  }),
};

export const failingTestPlugin: SolutionPlugin = {
  id: 'sshd',
  settings: NO_SETTINGS,
  detect: async () => ({ detectedBy: ['config'] }),
  inspect: async () => ({
    version: null,
    configuration: {},
    metrics: {},
    tests: [
      { id: 'root-login', type: 'security', passed: false, message: 'PermitRootLogin yes', durationMs: 1 },
      { id: 'password-login', type: 'security', passed: true, message: 'off', durationMs: 1 },
    ],
    errors: [],
  }),
};

export const absentPlugin: SolutionPlugin = {
  id: 'teler',
  settings: NO_SETTINGS,
  detect: async () => undefined,
  inspect: async () => Promise.reject(new Error('no')),
};

export const crashingPlugin: SolutionPlugin = {
  id: 'vector',
  settings: NO_SETTINGS,
  detect: async () => {
    throw new Error('boom');
  },
  inspect: async () => Promise.reject(new Error('no')),
};

export class Output {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }
  json(): Record<string, unknown>[] {
    return this.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** A delivery whose answers the test scripts; it records every call. */
export class ScriptedDelivery implements Delivery {
  readonly calls: string[] = [];
  readonly submitted: ReportInput[] = [];
  spooled = 0;
  dropped = 0;
  retryDelayMs = 0;
  /** Answers for submit and flush, in order; the last one repeats. */
  answers: Partial<DeliveryOutcome>[] = [{}];
  probeResult: ProbeResult = { reachable: true, keyValid: true, message: 'ok' };
  constructor(readonly config: DeliveryConfig) {}

  private answer(reportId?: string): DeliveryOutcome {
    const scripted = (this.answers.length > 1 ? this.answers.shift() : this.answers[0]) ?? {};
    const delivered = scripted.error ? [] : reportId ? [reportId] : [];
    this.spooled = scripted.spooled ?? (scripted.error ? this.spooled + (reportId ? 1 : 0) : 0);
    return { delivered, spooled: this.spooled, dropped: this.dropped, ...scripted };
  }
  async submit(report: ReportInput) {
    this.calls.push('submit');
    this.submitted.push(report);
    return this.answer(report.reportId);
  }
  async flush() {
    this.calls.push('flush');
    return this.answer();
  }
  async status() {
    this.calls.push('status');
    return { spooled: this.spooled, bytes: this.spooled * 1000, dropped: this.dropped };
  }
  nextRetryDelayMs() {
    return this.retryDelayMs;
  }
  async probe() {
    this.calls.push('probe');
    return this.probeResult;
  }
}

export interface TestCli {
  deps: CliDeps;
  dir: string;
  configPath: string;
  stdout: Output;
  stderr: Output;
  deliveries: ScriptedDelivery[];
  /** The next delivery created starts from this script. */
  script: (delivery: ScriptedDelivery) => void;
  signals: Map<string, () => void>;
  /** The uncaught-error handler `run` installed (deps.onFatal), while it runs. */
  fatal: ((thrown: unknown, kind: AgentCrashKind) => void) | undefined;
  sleeps: number[];
  /** Runs after each sleep (fake time has already moved on). */
  afterSleep: (count: number) => void;
  clockMs: number;
  cleanup(): void;
}

export function writeConfig(dir: string, body: string, mode = 0o600): string {
  const file = path.join(dir, 'agent.yaml');
  writeFileSync(file, body);
  chmodSync(file, mode);
  return file;
}

export function testCli(plugins: SolutionPlugin[] = [passingPlugin, failingTestPlugin, absentPlugin]): TestCli {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-'));
  const keyFile = path.join(dir, 'key');
  writeFileSync(keyFile, `${TEST_KEY}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const configPath = writeConfig(dir, `endpoint: ${TEST_ENDPOINT}\nkey_file: ${keyFile}\nspool_dir: ${dir}/spool\n`);
  const cli: TestCli = {
    dir,
    configPath,
    stdout: new Output(),
    stderr: new Output(),
    deliveries: [],
    script: () => undefined,
    signals: new Map(),
    fatal: undefined,
    sleeps: [],
    afterSleep: () => undefined,
    clockMs: Date.parse('2026-11-27T10:00:00Z'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    deps: undefined as unknown as CliDeps,
  };
  cli.deps = {
    env: {},
    stdout: cli.stdout,
    stderr: cli.stderr,
    host: new RealHost(),
    fixtureHost: () => new RealHost(),
    plugins,
    createDelivery: (config) => {
      const delivery = new ScriptedDelivery(config);
      cli.script(delivery);
      cli.deliveries.push(delivery);
      return delivery;
    },
    onSignal: (signal, handler) => {
      cli.signals.set(signal, handler);
      return () => cli.signals.delete(signal);
    },
    onFatal: (handler) => {
      cli.fatal = handler;
      return () => {
        cli.fatal = undefined;
      };
    },
    uptimeSeconds: () => 42,
    sleep: async (ms) => {
      cli.sleeps.push(ms);
      cli.clockMs += ms;
      cli.afterSleep(cli.sleeps.length);
    },
    now: () => new Date(cli.clockMs),
    random: () => 0.5,
    system: { hostname: () => 'web-1', release: () => '6.1.0', machine: () => 'x86_64' },
    version: '9.9.9-test',
    forceExit: (code) => {
      throw new Error(`forceExit(${code})`);
    },
  };
  return cli;
}
