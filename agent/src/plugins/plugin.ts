// The contract of a solution plugin: data plus two small functions over an injected Host.
import type { DETECTION_SOURCES, KnownSolutionId, SolutionReport, TestResult, TestType } from '@vigil/schema';
import type { z } from 'zod';
import type { Host } from '../host/host.js';
import type { SettingsSchema } from './settings.js';

export type DetectionSource = (typeof DETECTION_SOURCES)[number];

/**
 * What `detect` found. The report takes `detectedBy`; a plugin extends it with what `inspect` needs
 * (paths, the package version: lib/install.ts's Installation), so inspect never probes the install again.
 */
export interface Detection {
  /** How the solution was found: a package, a binary on PATH, a service unit, config files. */
  detectedBy: DetectionSource[];
}

export interface PluginOptions<Settings = Record<string, unknown>> {
  /** Tests that change the host's state (a scan that quarantines, banning an address) run only when true. */
  allowStateChanges: boolean;
  /** `solutions.<id>` of the agent config, parsed by the plugin's `settings` schema when the config loaded (defaults filled in). */
  settings: Settings;
}

export interface PluginContext<Settings = Record<string, unknown>> {
  host: Host;
  options: PluginOptions<Settings>;
}

export type SolutionFindings = Omit<SolutionReport, 'id' | 'detectedBy'>;
export type SolutionError = SolutionFindings['errors'][number];

export interface SolutionPlugin<Schema extends SettingsSchema = SettingsSchema, Found extends Detection = Detection> {
  id: KnownSolutionId;
  /**
   * The settings it accepts under `solutions.<id>` (plugins/settings.ts): a strict object, so the
   * config loader refuses an unknown or mistyped one, with a default for each that has one. Every
   * plugin declares it, NO_SETTINGS when it takes none.
   */
  settings: Schema;
  /** Undefined when the solution is not on this host. Must be cheap and must not throw for "absent". */
  detect(context: PluginContext<z.output<Schema>>): Promise<Found | undefined>;
  /**
   * Version, configuration (chosen settings), metrics (counters) and tests of a detected solution,
   * from what `detect` found (the same host, moments earlier).
   */
  inspect(context: PluginContext<z.output<Schema>>, detection: Found): Promise<SolutionFindings>;
}

/**
 * Runs one test and times it. A thrown error becomes a failed test whose message says why, so one
 * broken check never hides the others.
 */
export async function runTest(
  host: Host,
  id: string,
  type: TestType,
  check: () => Promise<{ passed: boolean; message: string }>,
): Promise<TestResult> {
  const started = host.now().getTime();
  let outcome: { passed: boolean; message: string };
  try {
    outcome = await check();
  } catch (error) {
    outcome = { passed: false, message: `check failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    id,
    type,
    passed: outcome.passed,
    message: outcome.message.slice(0, 2000),
    durationMs: Math.max(0, Math.round(host.now().getTime() - started)),
  };
}
