// The heart of alerting: given an agent's current state and a newer report, what happened?
// Pure, so every transition is unit-tested. Rules:
// - test_failed only on a transition into failing: a test must fail `failedTestThreshold` reports
//   in a row (the workspace setting, default 1) before it alerts, and then alerts once until it passes;
// - test_recovered when an alerting test passes again;
// - config_changed lists every changed, added or removed configuration field (metrics never count);
// - solution_added / solution_removed compare the sets of solutions. The first report of an agent is
//   its baseline: it raises no solution_added, but tests already failing in it do alert.
// - a solution whose plugin reported errors and no configuration (a timeout, a crash) keeps its
//   previous configuration: a broken probe is not a configuration change;
// - a test missing from a solution that reported errors keeps its alert state (its probe broke);
//   missing from a healthy solution, or with its solution removed, it is gone: the streak ends with
//   no event (it did not pass, so no test_recovered; a removed solution has its solution_removed).
import {
  ownValue,
  type ConfigChange,
  type ConfigurationValue,
  type EventKind,
  type Report,
  type SolutionReport,
  type SolutionState,
  type TestAlertState,
} from '@vigil/schema';

export interface PreviousState {
  solutions: Record<string, SolutionState>;
}

export interface EventTest {
  solutionId: string;
  testId: string;
  type: string;
  message: string;
}

export interface DerivedEvent {
  kind: Extract<EventKind, 'test_failed' | 'test_recovered' | 'config_changed' | 'solution_added' | 'solution_removed'>;
  solutionIds: string[];
  details: { tests?: EventTest[]; changes?: ConfigChange[]; solutions?: string[] };
}

export interface Derivation {
  events: DerivedEvent[];
  solutions: Record<string, SolutionState>;
}

const NOT_ALERTING: TestAlertState = { failures: 0, alerting: false };

function sameValue(a: ConfigurationValue | undefined, b: ConfigurationValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function diffConfiguration(
  solutionId: string,
  before: Record<string, ConfigurationValue>,
  after: Record<string, ConfigurationValue>,
): ConfigChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .map((key) => ({ solutionId, key, before: ownValue(before, key) ?? null, after: ownValue(after, key) ?? null }))
    .filter((change) => !sameValue(change.before, change.after));
}

function probeBroke(solution: SolutionReport): boolean {
  return solution.errors.length > 0 && Object.keys(solution.configuration).length === 0;
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

export function deriveEvents(previous: PreviousState | undefined, report: Report, failedTestThreshold: number): Derivation {
  const threshold = Math.max(1, Math.floor(failedTestThreshold));
  const before = previous?.solutions ?? {};
  const baseline = previous === undefined;
  const failed: EventTest[] = [];
  const recovered: EventTest[] = [];
  const changes: ConfigChange[] = [];
  const added: string[] = [];
  const solutions: Record<string, SolutionState> = {};

  for (const solution of report.solutions) {
    const prior = ownValue(before, solution.id);
    if (!prior && !baseline) added.push(solution.id);

    const keepOldConfiguration = prior !== undefined && probeBroke(solution);
    const configuration = keepOldConfiguration ? prior.configuration : solution.configuration;
    if (prior && !keepOldConfiguration) changes.push(...diffConfiguration(solution.id, prior.configuration, configuration));

    const testAlerts: Record<string, TestAlertState> = {};
    for (const test of solution.tests) {
      const streak = ownValue(prior?.testAlerts, test.id) ?? NOT_ALERTING;
      const item = { solutionId: solution.id, testId: test.id, type: test.type, message: test.message };
      if (test.passed) {
        if (streak.alerting) recovered.push(item);
        testAlerts[test.id] = NOT_ALERTING;
      } else {
        const failures = streak.failures + 1;
        const alerting = streak.alerting || failures >= threshold;
        if (alerting && !streak.alerting) failed.push(item);
        testAlerts[test.id] = { failures, alerting, since: streak.since ?? report.collectedAt };
      }
    }
    // A probe that reported errors may not have run every test: the tests it left out keep their
    // streak, so the next failure of an already alerting test is not a new alert. A healthy probe
    // without a test means the test is gone (say, its jail was removed): its streak ends silently.
    if (prior && solution.errors.length > 0) {
      for (const [testId, streak] of Object.entries(prior.testAlerts)) {
        if (!Object.hasOwn(testAlerts, testId)) testAlerts[testId] = streak;
      }
    }

    solutions[solution.id] = {
      version: solution.version,
      configuration,
      metrics: solution.metrics,
      tests: solution.tests,
      errors: solution.errors,
      testAlerts,
    };
  }

  const removed = baseline
    ? []
    : Object.keys(before)
        .filter((id) => !Object.hasOwn(solutions, id))
        .sort();
  const events: DerivedEvent[] = [];
  if (failed.length) events.push({ kind: 'test_failed', solutionIds: uniqueSorted(failed.map((t) => t.solutionId)), details: { tests: failed } });
  if (recovered.length) {
    events.push({ kind: 'test_recovered', solutionIds: uniqueSorted(recovered.map((t) => t.solutionId)), details: { tests: recovered } });
  }
  if (changes.length) {
    events.push({ kind: 'config_changed', solutionIds: uniqueSorted(changes.map((c) => c.solutionId)), details: { changes } });
  }
  if (added.length) events.push({ kind: 'solution_added', solutionIds: uniqueSorted(added), details: { solutions: uniqueSorted(added) } });
  if (removed.length) events.push({ kind: 'solution_removed', solutionIds: removed, details: { solutions: removed } });
  return { events, solutions };
}

/** A report as the trigger reads it back: ingest stamped its receipt sequence (receipt.ts) on it. */
export interface ReceivedReport {
  reportId: string;
  collectedAt: string;
  backfill?: boolean;
  receiptSequence?: unknown;
}

function sequenceOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Whether a report should be applied on top of the stored state: only a live report received after
 * the one the state came from, in ingest's receipt order, never the agent's clock (a clock in the
 * future would freeze the host, one gone backwards would too). A backfill report never is (it is
 * history: on-report-created.ts adds it there), nor the same report delivered again. State and
 * reports stored before receipt sequences existed: a stamped report was received after any
 * unstamped state; between unstamped ones, collection time decides, as it did then.
 */
export function isNewerThanState(
  report: ReceivedReport,
  state: { reportId?: unknown; collectedAt?: unknown; receiptSequence?: unknown } | undefined,
): boolean {
  if (report.backfill) return false;
  if (!state) return true;
  if (state.reportId === report.reportId) return false;
  const received = sequenceOf(report.receiptSequence);
  const stateReceived = sequenceOf(state.receiptSequence);
  if (received !== undefined) return stateReceived === undefined || received > stateReceived;
  if (stateReceived !== undefined) return false;
  if (typeof state.collectedAt !== 'string') return true;
  return Date.parse(report.collectedAt) > Date.parse(state.collectedAt);
}
