import { FIRESTORE_DOCUMENT_MAX_BYTES, LIMITS, firestoreDocumentBytes, paths, reportSchema, type HistoryPoint } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { largestReport } from '../../../schema/src/test-fixtures.js';
import { deriveEvents, type PreviousState } from './derive-events.js';
import { appendHistory } from './state-history.js';
import { boundedState } from './state-budget.js';
import { DeterministicFailure } from './trigger-failure.js';

const statePath = paths.agentState('AbCdEfGhIjKlMnOpQrSt', 'ZyXwVuTsRqPoNmLkJiHg');

function reportAt(index: number, messageLength = 0) {
  const collectedAt = new Date(Date.parse('2026-11-27T10:00:00Z') + index * 300_000).toISOString();
  return reportSchema.parse(largestReport({ reportId: `report-${String(index).padStart(6, '0')}`, collectedAt, messageLength }));
}

/** What the trigger writes for each report, as the trigger builds it. */
function run(reports: number, messageLength = 0) {
  let previous: (PreviousState & { history: HistoryPoint[] }) | undefined;
  let largest = 0;
  let state: Record<string, unknown> & { history: HistoryPoint[] } = { history: [] };
  for (let index = 0; index < reports; index += 1) {
    const report = reportAt(index, messageLength);
    const derived = deriveEvents(previous, report, 1);
    state = boundedState(statePath, {
      reportId: report.reportId,
      collectedAt: report.collectedAt,
      updatedAt: new Date(),
      solutions: derived.solutions,
      history: appendHistory(previous?.history ?? [], report),
    });
    largest = Math.max(largest, firestoreDocumentBytes(statePath, state));
    previous = { solutions: derived.solutions, history: state.history };
  }
  return { largest, state };
}

describe('state/current stays under its byte budget', () => {
  it('with the largest reports the schema accepts, many of them', () => {
    const report = largestReport({ reportId: 'report-000000', collectedAt: '2026-11-27T10:00:00Z' });
    expect(JSON.stringify(report).length).toBeLessThanOrEqual(LIMITS.reportBytes);
    expect(JSON.stringify(report).length).toBeGreaterThan(LIMITS.reportBytes - 200);
    const { largest, state } = run(60);
    expect(largest).toBeLessThanOrEqual(LIMITS.agentStateBytes);
    expect(LIMITS.agentStateBytes).toBeLessThan(FIRESTORE_DOCUMENT_MAX_BYTES);
    // the newest report is always in the history, with its detail
    expect(state.history.at(-1)!.reportId).toBe('report-000059');
    expect(Object.keys(state.history.at(-1)!.solutions)).toHaveLength(LIMITS.solutionsPerReport);
    // and the charts keep their 48 points of counts
    expect(state.history).toHaveLength(48);
  });

  it('with the longest messages too', () => {
    expect(run(10, LIMITS.messageText).largest).toBeLessThanOrEqual(LIMITS.agentStateBytes);
  });
});

describe('boundedState', () => {
  const point = (index: number): HistoryPoint => ({
    reportId: `report-${String(index).padStart(4, '0')}`,
    collectedAt: `2026-11-27T10:0${index}:00Z`,
    passed: 1,
    failed: 0,
    solutions: { clamav: { tests: { [`t-${'x'.repeat(200)}`]: true }, metrics: {} } },
  });
  const state = (points: HistoryPoint[]) => ({ reportId: 'report-9999', collectedAt: '2026-11-27T11:00:00Z', solutions: {}, history: points });

  it('leaves a state within the budget alone', () => {
    const small = state([point(1), point(2)]);
    expect(boundedState(statePath, small, 10_000)).toBe(small);
  });

  it('drops the oldest points’ detail first, then the oldest points', () => {
    const full = state([point(1), point(2), point(3), point(4)]);
    const size = firestoreDocumentBytes(statePath, full);
    const oneDetailLess = boundedState(statePath, full, size - 1);
    expect(oneDetailLess.history.map((p) => Object.keys(p.solutions).length)).toEqual([0, 1, 1, 1]);
    const lean = (index: number) => ({ ...point(index), solutions: {} });
    const budget = firestoreDocumentBytes(statePath, state([lean(3), lean(4)]));
    const tight = boundedState(statePath, full, budget);
    expect(tight.history).toEqual([lean(3), lean(4)]);
    expect(firestoreDocumentBytes(statePath, tight)).toBeLessThanOrEqual(budget);
  });

  it('refuses, as a deterministic failure, a state Firestore could not store even without history', () => {
    const huge = { ...state([point(1)]), solutions: { big: 'x'.repeat(FIRESTORE_DOCUMENT_MAX_BYTES) } };
    expect(() => boundedState(statePath, huge)).toThrow(DeterministicFailure);
  });
});
