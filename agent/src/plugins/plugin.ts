// The contract of a solution plugin: data plus two small functions over an injected Host.
import type { DETECTION_SOURCES, KnownSolutionId, SolutionReport, TestResult, TestType } from '@vigil/schema';
import type { Host } from '../host/host.js';

export type DetectionSource = (typeof DETECTION_SOURCES)[number];

export interface Detection {
  /** How the solution was found: a package, a binary on PATH, a service unit, config files. */
  detectedBy: DetectionSource[];
}

export interface PluginOptions {
  /** Tests that change the host's state (a scan that quarantines, banning an address) run only when true. */
  allowStateChanges: boolean;
  /** Per-solution settings from the agent config, e.g. `{ certificatesDir: "/etc/letsencrypt/live" }`. */
  settings: Record<string, unknown>;
}

export interface PluginContext {
  host: Host;
  options: PluginOptions;
}

export type SolutionFindings = Omit<SolutionReport, 'id' | 'detectedBy'>;

export interface SolutionPlugin {
  id: KnownSolutionId;
  /** Undefined when the solution is not on this host. Must be cheap and must not throw for "absent". */
  detect(context: PluginContext): Promise<Detection | undefined>;
  /** Version, configuration (chosen settings), metrics (counters) and tests of a detected solution. */
  inspect(context: PluginContext, detection: Detection): Promise<SolutionFindings>;
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
