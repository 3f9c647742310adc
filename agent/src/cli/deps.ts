// What the CLI needs from the outside world, injected so every command is tested without a real
// machine, network or process signals. main.ts passes the real ones (realDeps).
import type { AgentCrashKind } from '@vigil/schema';
import type { Delivery, DeliveryConfig, DeliveryDeps } from '../delivery/delivery.js';
import type { Host } from '../host/host.js';
import type { SolutionPlugin } from '../plugins/plugin.js';
import type { SystemInfo } from '../collect/host-facts.js';
import type { LaunchInfo } from '../update/launcher.js';
import type { OutputStream } from './progress.js';

export type StopSignal = 'SIGTERM' | 'SIGINT';

export interface CliDeps {
  env: Record<string, string | undefined>;
  stdout: OutputStream;
  stderr: OutputStream;
  /** The machine: config file, key file, plugins and host facts. */
  host: Host;
  /** A host over a fixture directory (the hidden `collect --fixture`). */
  fixtureHost: (dir: string) => Host;
  plugins: readonly SolutionPlugin[];
  createDelivery: (config: DeliveryConfig, deps: DeliveryDeps) => Delivery;
  /** Subscribes to a process signal; returns the unsubscribe function. */
  onSignal: (signal: StopSignal | 'SIGHUP', handler: () => void) => () => void;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => Date;
  random: () => number;
  agentUid?: number;
  system?: SystemInfo;
  version: string;
  /** Ends the process now (a second stop signal, a crash). */
  forceExit: (code: number) => void;
  /** Subscribes to uncaught exceptions and unhandled rejections (`run` only); returns the unsubscribe function. */
  onFatal?: (handler: (thrown: unknown, kind: AgentCrashKind) => void) => () => void;
  /** Seconds the process has been running (agentHealth.uptimeSeconds). */
  uptimeSeconds?: () => number;
  /** For error reports to the operator's Sentry and update downloads; the global fetch when absent. */
  fetch?: typeof fetch;
  /** Set when the installed bundle's launcher handed over to this one (an agent update, update/launcher.ts). */
  launch?: LaunchInfo;
}

/** Timeout of one HTTPS request to the ingest. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
