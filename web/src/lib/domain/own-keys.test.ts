// Keys that come from agents, documents or the URL are data: a lookup by `constructor`, `__proto__`,
// `toString` or `hasOwnProperty` finds nothing unless the record really has that key, and a record
// built from data with such a key keeps it as an own entry (never as its prototype).
import type { HistoryPoint } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { authErrorMessage } from '../auth/auth-errors';
import { describeError } from '../text/error-message';
import { acksByTestId } from '../model/member';
import type { MetricsHour } from '../model/agent';
import { stateFromDoc } from '../model/agent-state';
import { userProfileFromDoc } from '../model/member';
import { recordOf, isFiniteNumber } from '../model/values';
import { ownValue } from '@vigil/schema/constants';
import { solutionCategory } from './solution-health';
import { metricSeries, testSeries } from './test-series';

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

const point = (solutions: HistoryPoint['solutions']): HistoryPoint => ({
  reportId: 'r',
  collectedAt: '2026-01-01T00:00:00Z',
  passed: 1,
  failed: 0,
  solutions,
});

// The same solutions as the agent document's hourly metrics (metricsHistory), for metricSeries.
const hoursOf = (points: HistoryPoint[]): MetricsHour[] =>
  points.map((each) => ({
    hour: each.collectedAt,
    solutions: Object.fromEntries(Object.entries(each.solutions).map(([id, solution]) => [id, solution.metrics])),
  }));

describe('lookups by an agent-supplied or URL key', () => {
  it('find no Object.prototype member in the history series', () => {
    const points = [point({ ufw: { tests: { active: true }, metrics: { rules: 3 } } })];
    for (const name of INHERITED) {
      expect(testSeries(points, name, 'active'), name).toEqual([null]);
      expect(testSeries(points, 'ufw', name), name).toEqual([null]);
      expect(metricSeries(hoursOf(points), name).size, name).toBe(0);
    }
    expect(testSeries(points, 'ufw', 'active')).toEqual([true]);
  });

  it('find a real key of that name', () => {
    const points = [point(JSON.parse('{"constructor":{"tests":{"toString":false},"metrics":{"valueOf":2}}}') as HistoryPoint['solutions'])];
    expect(testSeries(points, 'constructor', 'toString')).toEqual([false]);
    expect([...metricSeries(hoursOf(points), 'constructor').keys()]).toEqual(['valueOf']);
  });

  it('know no solution category named like a prototype member', () => {
    for (const name of INHERITED) expect(solutionCategory(name), name).toBeUndefined();
    expect(solutionCategory('ufw')).toBeTypeOf('string');
  });

  it('give a state/current solution only when the document has it', () => {
    const state = stateFromDoc({ reportId: 'r', collectedAt: '2026-01-01T00:00:00Z', solutions: { ufw: {} } });
    for (const name of INHERITED) expect(ownValue(state.solutions, name), name).toBeUndefined();
    expect(ownValue(state.solutions, 'ufw')).toBeDefined();
  });

  it('tell an error code named like a prototype member as an unknown code, in text', () => {
    for (const name of INHERITED) {
      expect(authErrorMessage({ code: name }), name).toBe('Signing in failed. Try again in a moment.');
      expect(describeError({ code: name, message: 'the message' }), name).toBe('the message');
    }
  });
});

describe('records built from data', () => {
  const withProtoKey = <T>(value: T) => JSON.parse(`{"__proto__": ${JSON.stringify(value)}, "a": ${JSON.stringify(value)}}`) as Record<string, T>;

  it('keep a "__proto__" key as an own entry and leave the prototype alone', () => {
    const metrics = recordOf(withProtoKey(5), isFiniteNumber);
    expect(Object.keys(metrics).sort()).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(metrics)).toBe(Object.prototype);

    const state = stateFromDoc({ solutions: withProtoKey({ configuration: { x: 1 } }) });
    expect(Object.keys(state.solutions).sort()).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(state.solutions)).toBe(Object.prototype);
    expect(ownValue(state.solutions, 'configuration')).toBeUndefined();

    const profile = userProfileFromDoc({ workspaces: withProtoKey('owner') });
    expect(Object.keys(profile.workspaces).sort()).toEqual(['__proto__', 'a']);
  });

  it('index acknowledgements by test id, "__proto__" included', () => {
    const acks = acksByTestId([
      { solutionId: 's', testId: '__proto__', acknowledgedBy: 'u', acknowledgedAt: null, failingSince: 'x' },
      { solutionId: 's', testId: 'a', acknowledgedBy: 'u', acknowledgedAt: null, failingSince: 'y' },
    ]);
    expect(Object.keys(acks).sort()).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(acks)).toBe(Object.prototype);
    expect(ownValue(acks, 'constructor')).toBeUndefined();
  });
});
