// state/current: the latest recorded report's state, and `history`, the recorded reports' points
// (oldest first). Reports are recorded when their content changed, while a test keeps failing, and
// once a day; metrics of every report live on the agent document instead (model/agent.ts).
import type { ConfigurationValue, HistoryPoint, SolutionState, TestAlertState, TestResult } from '@vigil/schema';
import { asDate, asNullableString, asNumber, asRecord, asString, isBoolean, isFiniteNumber, isRecord, recordOf, type Fields } from './values';

export interface AgentStateView {
  reportId: string;
  collectedAt: string;
  updatedAt: Date | null;
  solutions: Record<string, SolutionState>;
  /** The recorded reports, oldest first: what the timeline and the pass/fail strips draw. */
  history: HistoryPoint[];
}

const TEST_TYPES: readonly TestResult['type'][] = ['requirement', 'presence', 'operational', 'security', 'integration'];

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isConfigurationValue(value: unknown): value is ConfigurationValue {
  return isScalar(value) || (Array.isArray(value) && value.every(isScalar));
}

function readTest(value: unknown): TestResult[] {
  if (!isRecord(value) || typeof value.id !== 'string') return [];
  return [
    {
      id: value.id,
      type: TEST_TYPES.find((type) => type === value.type) ?? 'operational',
      passed: value.passed === true,
      message: asString(value.message),
      durationMs: asNumber(value.durationMs),
    },
  ];
}

function readAlert(value: unknown): TestAlertState[] {
  if (!isRecord(value)) return [];
  const since = asNullableString(value.since);
  return [{ failures: asNumber(value.failures), alerting: value.alerting === true, ...(since !== null ? { since } : {}) }];
}

export function solutionStateFrom(value: unknown): SolutionState {
  const data = asRecord(value);
  const errors = Array.isArray(data.errors) ? data.errors : [];
  const alerts: Record<string, TestAlertState> = Object.fromEntries(
    Object.entries(asRecord(data.testAlerts)).flatMap(([testId, alert]) => readAlert(alert).map((read) => [testId, read] as const)),
  );
  return {
    version: asNullableString(data.version),
    configuration: recordOf(data.configuration, isConfigurationValue),
    metrics: recordOf(data.metrics, isFiniteNumber),
    tests: Array.isArray(data.tests) ? data.tests.flatMap(readTest) : [],
    errors: errors.flatMap((error) => {
      const item = asRecord(error);
      const code = asNullableString(item.code);
      return typeof item.message === 'string' ? [{ message: item.message, ...(code !== null ? { code } : {}) }] : [];
    }),
    testAlerts: alerts,
  };
}

export function stateFromDoc(data: Fields): AgentStateView {
  // Built with Object.fromEntries (own entries), and read with ownValue: solution ids are agent data.
  const solutions: Record<string, SolutionState> = Object.fromEntries(
    Object.entries(asRecord(data.solutions)).map(([id, solution]) => [id, solutionStateFrom(solution)]),
  );
  return {
    reportId: asString(data.reportId),
    collectedAt: asString(data.collectedAt),
    updatedAt: asDate(data.updatedAt),
    solutions,
    history: historyFrom(data.history),
  };
}

function readPoint(value: unknown): HistoryPoint[] {
  if (!isRecord(value) || typeof value.collectedAt !== 'string' || Number.isNaN(Date.parse(value.collectedAt))) return [];
  const solutions: HistoryPoint['solutions'] = Object.fromEntries(
    Object.entries(asRecord(value.solutions)).map(([id, solution]) => {
      const data = asRecord(solution);
      return [id, { tests: recordOf(data.tests, isBoolean), metrics: recordOf(data.metrics, isFiniteNumber) }];
    }),
  );
  return [
    {
      reportId: asString(value.reportId),
      collectedAt: value.collectedAt,
      passed: asNumber(value.passed),
      failed: asNumber(value.failed),
      solutions,
    },
  ];
}

/** The history points, oldest first. */
export function historyFrom(value: unknown): HistoryPoint[] {
  const points = Array.isArray(value) ? value.flatMap(readPoint) : [];
  return points.sort((a, b) => Date.parse(a.collectedAt) - Date.parse(b.collectedAt));
}
