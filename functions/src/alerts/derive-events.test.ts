import { ownValue, reportSchema, type Report, type ReportInput } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { deriveEvents, diffConfiguration, isNewerThanState, type PreviousState } from './derive-events.js';

function report(solutions: ReportInput['solutions'], collectedAt = '2026-11-27T10:00:00Z'): Report {
  return reportSchema.parse({
    reportId: `r-${collectedAt.replace(/\D/g, '')}`,
    agentVersion: '0.1.0',
    host: { hostname: 'web-1' },
    collectedAt,
    solutions,
  });
}

function clamav(options: { eicar?: boolean; fresh?: boolean; config?: Record<string, unknown>; errors?: { message: string }[] } = {}) {
  return {
    id: 'clamav',
    version: '1.0.7',
    configuration: (options.config ?? { ScanArchive: true, MaxFileSize: '25M' }) as Record<string, string | boolean>,
    metrics: { signatures: Math.random() * 1000 },
    tests: [
      {
        id: 'eicar-detected',
        type: 'security' as const,
        passed: options.eicar ?? true,
        message: options.eicar === false ? 'EICAR not detected' : 'EICAR detected',
        durationMs: 800,
      },
      {
        id: 'signatures-fresh',
        type: 'operational' as const,
        passed: options.fresh ?? true,
        message: options.fresh === false ? 'database is 9 days old (limit 3)' : 'fresh',
        durationMs: 3,
      },
    ],
    errors: options.errors ?? [],
  };
}

const fail2ban = { id: 'fail2ban', version: '1.0.2', configuration: { jails: ['sshd'] }, metrics: { banned: 3 }, tests: [] };

function apply(previous: PreviousState | undefined, next: Report, threshold = 1) {
  const result = deriveEvents(previous, next, threshold);
  return { ...result, state: { solutions: result.solutions } };
}

describe('deriveEvents', () => {
  it('takes the first report as a baseline: no solution_added, but failing tests alert', () => {
    const { events } = apply(undefined, report([clamav({ eicar: false }), fail2ban]));
    expect(events.map((event) => event.kind)).toEqual(['test_failed']);
    expect(events[0]!.details.tests).toEqual([{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'EICAR not detected' }]);
  });

  it('raises nothing when nothing but metrics changed', () => {
    const first = apply(undefined, report([clamav(), fail2ban]));
    const second = apply(first.state, report([clamav(), { ...fail2ban, metrics: { banned: 99 } }], '2026-11-27T10:05:00Z'));
    expect(second.events).toEqual([]);
  });

  it('alerts once on pass to fail, not again while failing, and once on recovery', () => {
    const healthy = apply(undefined, report([clamav()]));
    const broken = apply(healthy.state, report([clamav({ eicar: false, fresh: false })], '2026-11-27T10:05:00Z'));
    expect(broken.events).toHaveLength(1);
    expect(broken.events[0]).toMatchObject({ kind: 'test_failed', solutionIds: ['clamav'] });
    expect(broken.events[0]!.details.tests!.map((test) => test.testId)).toEqual(['eicar-detected', 'signatures-fresh']);

    const stillBroken = apply(broken.state, report([clamav({ eicar: false, fresh: false })], '2026-11-27T10:10:00Z'));
    expect(stillBroken.events).toEqual([]);
    // The streak remembers when it began, so a "checked" mark applies to this failure only.
    expect(stillBroken.solutions.clamav!.testAlerts['eicar-detected']).toEqual({ failures: 2, alerting: true, since: '2026-11-27T10:05:00Z' });

    const fixed = apply(stillBroken.state, report([clamav({ fresh: false })], '2026-11-27T10:15:00Z'));
    expect(fixed.events).toEqual([
      {
        kind: 'test_recovered',
        solutionIds: ['clamav'],
        details: { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'EICAR detected' }] },
      },
    ]);
  });

  it('waits for the workspace threshold of consecutive failures before alerting', () => {
    let state = apply(undefined, report([clamav()]), 3).state;
    const kinds: string[][] = [];
    for (let minute = 1; minute <= 4; minute += 1) {
      const next = apply(state, report([clamav({ eicar: false })], `2026-11-27T10:0${minute}:00Z`), 3);
      kinds.push(next.events.map((event) => event.kind));
      state = next.state;
    }
    expect(kinds).toEqual([[], [], ['test_failed'], []]);
    // A pass before the threshold resets the count and raises no recovery.
    const flapping = apply(apply(undefined, report([clamav({ eicar: false })]), 3).state, report([clamav()], '2026-11-27T11:00:00Z'), 3);
    expect(flapping.events).toEqual([]);
  });

  it('lists every changed, added and removed configuration field with old and new values', () => {
    const first = apply(undefined, report([clamav({ config: { ScanArchive: true, MaxFileSize: '25M', Old: 'x' } })]));
    const next = apply(
      first.state,
      report([clamav({ config: { ScanArchive: false, MaxFileSize: '25M', New: ['a', 'b'] } })], '2026-11-27T10:05:00Z'),
    );
    expect(next.events).toEqual([
      {
        kind: 'config_changed',
        solutionIds: ['clamav'],
        details: {
          changes: [
            { solutionId: 'clamav', key: 'New', before: null, after: ['a', 'b'] },
            { solutionId: 'clamav', key: 'Old', before: 'x', after: null },
            { solutionId: 'clamav', key: 'ScanArchive', before: true, after: false },
          ],
        },
      },
    ]);
  });

  it('does not take a broken probe (errors, no configuration) for a configuration change', () => {
    const first = apply(undefined, report([clamav()]));
    const timedOut = { ...clamav({ config: {}, errors: [{ message: 'timed out after 120 s' }] }), tests: [] };
    const next = apply(first.state, report([timedOut], '2026-11-27T10:05:00Z'));
    expect(next.events).toEqual([]);
    expect(next.solutions.clamav!.configuration).toEqual({ ScanArchive: true, MaxFileSize: '25M' });
  });

  it('reports solutions added and removed after the baseline', () => {
    const first = apply(undefined, report([clamav()]));
    const next = apply(first.state, report([fail2ban], '2026-11-27T10:05:00Z'));
    expect(next.events.map((event) => [event.kind, event.details.solutions])).toEqual([
      ['solution_added', ['fail2ban']],
      ['solution_removed', ['clamav']],
    ]);
  });

  it('groups one report’s failures across solutions into one event', () => {
    const withJails = { ...fail2ban, tests: [{ id: 'ping', type: 'operational' as const, passed: false, message: 'no answer', durationMs: 1 }] };
    const { events } = apply(undefined, report([clamav({ eicar: false }), withJails]));
    expect(events).toHaveLength(1);
    expect(events[0]!.solutionIds).toEqual(['clamav', 'fail2ban']);
  });
});

describe('deriveEvents when a probe breaks', () => {
  const timedOut = { ...clamav({ config: {}, errors: [{ message: 'timed out after 120 s' }] }), tests: [] };

  it('keeps the alert of a failing test its broken probe could not run: no second test_failed when it fails again', () => {
    const failing = apply(undefined, report([clamav({ eicar: false })]));
    expect(failing.events.map((event) => event.kind)).toEqual(['test_failed']);
    const broken = apply(failing.state, report([timedOut], '2026-11-27T10:05:00Z'));
    expect(broken.events).toEqual([]);
    expect(broken.solutions.clamav!.testAlerts['eicar-detected']).toEqual({ failures: 1, alerting: true, since: '2026-11-27T10:00:00Z' });
    const again = apply(broken.state, report([clamav({ eicar: false })], '2026-11-27T10:10:00Z'));
    expect(again.events).toEqual([]);
    expect(again.solutions.clamav!.testAlerts['eicar-detected']).toEqual({ failures: 2, alerting: true, since: '2026-11-27T10:00:00Z' });
    // and it still recovers once
    const fixed = apply(again.state, report([clamav()], '2026-11-27T10:15:00Z'));
    expect(fixed.events.map((event) => event.kind)).toEqual(['test_recovered']);
  });

  it('keeps a streak below the threshold across a probe that ran only some tests', () => {
    const first = apply(undefined, report([clamav({ eicar: false })]), 2);
    const partial = { ...clamav({ errors: [{ message: 'eicar probe crashed' }] }), tests: [clamav().tests[1]!] };
    const broken = apply(first.state, report([partial], '2026-11-27T10:05:00Z'), 2);
    expect(broken.solutions.clamav!.testAlerts['eicar-detected']).toEqual({ failures: 1, alerting: false, since: '2026-11-27T10:00:00Z' });
    const second = apply(broken.state, report([clamav({ eicar: false })], '2026-11-27T10:10:00Z'), 2);
    expect(second.events.map((event) => event.kind)).toEqual(['test_failed']);
  });

  it('drops the alert of a test gone for good (healthy solution without it): no recovery claimed, a new failure alerts again', () => {
    const failing = apply(undefined, report([clamav({ eicar: false })]));
    const withoutTest = { ...clamav(), tests: [clamav().tests[1]!] };
    const gone = apply(failing.state, report([withoutTest], '2026-11-27T10:05:00Z'));
    expect(gone.events).toEqual([]);
    expect(gone.solutions.clamav!.testAlerts).toEqual({ 'signatures-fresh': { failures: 0, alerting: false } });
    const back = apply(gone.state, report([clamav({ eicar: false })], '2026-11-27T10:10:00Z'));
    expect(back.events.map((event) => event.kind)).toEqual(['test_failed']);
  });
});

describe('deriveEvents with agent-supplied names of Object.prototype members', () => {
  // Configuration keys may be any of these; test and solution ids are slugs (lower case, no leading
  // "_"), so of the inherited names only "constructor" is a valid id.
  const keys = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  function odd(options: { value: string; passed: boolean }) {
    return {
      id: 'constructor',
      version: '1',
      configuration: Object.fromEntries(keys.map((key) => [key, options.value])),
      metrics: Object.fromEntries(keys.map((key) => [key, 1])),
      tests: [{ id: 'constructor', type: 'security' as const, passed: options.passed, message: 'm', durationMs: 1 }],
    };
  }

  it('takes them for absent on a first report: plain values in events and state, never a function or NaN', () => {
    const first = apply({ solutions: {} }, report([odd({ value: 'a', passed: false })]));
    expect(first.events).toEqual([
      {
        kind: 'test_failed',
        solutionIds: ['constructor'],
        details: { tests: [{ solutionId: 'constructor', testId: 'constructor', type: 'security', message: 'm' }] },
      },
      { kind: 'solution_added', solutionIds: ['constructor'], details: { solutions: ['constructor'] } },
    ]);
    expect(ownValue(ownValue(first.solutions, 'constructor')!.testAlerts, 'constructor')).toEqual({
      failures: 1,
      alerting: true,
      since: '2026-11-27T10:00:00Z',
    });
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('diffs configuration keys named like inherited members as data', () => {
    expect(diffConfiguration('s', {}, { constructor: 'a', toString: 'b' })).toEqual([
      { solutionId: 's', key: 'constructor', before: null, after: 'a' },
      { solutionId: 's', key: 'toString', before: null, after: 'b' },
    ]);
    const first = apply(undefined, report([odd({ value: 'a', passed: true })]));
    const next = apply(first.state, report([odd({ value: 'b', passed: false })], '2026-11-27T10:05:00Z'));
    expect(next.events.map((event) => event.kind)).toEqual(['test_failed', 'config_changed']);
    expect(next.events[1]!.details.changes).toEqual(keys.sort().map((key) => ({ solutionId: 'constructor', key, before: 'a', after: 'b' })));
  });

  it('counts a failing test named "constructor" and removes a solution named "constructor"', () => {
    let state = apply(undefined, report([odd({ value: 'a', passed: false })]), 3).state;
    state = apply(state, report([odd({ value: 'a', passed: false })], '2026-11-27T10:05:00Z'), 3).state;
    expect(ownValue(ownValue(state.solutions, 'constructor')!.testAlerts, 'constructor')!.failures).toBe(2);
    const gone = apply(state, report([clamav()], '2026-11-27T10:10:00Z'), 3);
    expect(gone.events.map((event) => [event.kind, event.solutionIds])).toEqual([
      ['solution_added', ['clamav']],
      ['solution_removed', ['constructor']],
    ]);
    // A state without a "constructor" solution does not think the report's "constructor" is known.
    const back = apply(gone.state, report([clamav(), odd({ value: 'a', passed: true })], '2026-11-27T10:15:00Z'));
    expect(back.events.map((event) => event.kind)).toEqual(['solution_added']);
  });
});

describe('diffConfiguration', () => {
  it('compares lists by content', () => {
    expect(diffConfiguration('f', { jails: ['a', 'b'] }, { jails: ['a', 'b'] })).toEqual([]);
    expect(diffConfiguration('f', { jails: ['a', 'b'] }, { jails: ['b', 'a'] })).toHaveLength(1);
  });
});

describe('isNewerThanState', () => {
  const state = { reportId: 'r-2', collectedAt: '2026-11-27T10:00:00Z', receiptSequence: 7 };
  it("applies the first report and any live report received after the state's", () => {
    expect(isNewerThanState({ reportId: 'r-1', collectedAt: '2026-11-27T09:00:00Z', receiptSequence: 1 }, undefined)).toBe(true);
    expect(isNewerThanState({ reportId: 'r-3', collectedAt: '2026-11-27T10:05:00Z', receiptSequence: 8 }, state)).toBe(true);
  });
  it("orders by receipt, not by the agent's clock: a clock gone backwards still moves the state", () => {
    expect(isNewerThanState({ reportId: 'r-3', collectedAt: '1999-01-01T00:00:00Z', receiptSequence: 8 }, state)).toBe(true);
    // and a report received earlier stays older, whatever time it claims
    expect(isNewerThanState({ reportId: 'r-1', collectedAt: '2099-01-01T00:00:00Z', receiptSequence: 6 }, state)).toBe(false);
  });
  it('ignores the same report again', () => {
    expect(isNewerThanState({ reportId: 'r-2', collectedAt: '2026-11-27T10:00:00Z', receiptSequence: 7 }, state)).toBe(false);
  });
  it('never applies a backfill report, however it was received', () => {
    expect(isNewerThanState({ reportId: 'r-3', collectedAt: '2026-11-27T10:05:00Z', receiptSequence: 8, backfill: true }, state)).toBe(false);
    expect(isNewerThanState({ reportId: 'r-1', collectedAt: '2026-11-27T10:05:00Z', receiptSequence: 1, backfill: true }, undefined)).toBe(false);
  });
  it('orders a state or report stored before receipt sequences existed as before: a stamped report is received later', () => {
    const unstamped = { reportId: 'r-2', collectedAt: '2026-11-27T10:00:00Z' };
    expect(isNewerThanState({ reportId: 'r-3', collectedAt: '2026-11-27T09:00:00Z', receiptSequence: 1 }, unstamped)).toBe(true);
    expect(isNewerThanState({ reportId: 'r-1', collectedAt: '2026-11-27T10:05:00Z' }, state)).toBe(false);
    expect(isNewerThanState({ reportId: 'r-3', collectedAt: '2026-11-27T10:05:00Z' }, unstamped)).toBe(true);
    expect(isNewerThanState({ reportId: 'r-1', collectedAt: '2026-11-27T09:55:00Z' }, unstamped)).toBe(false);
  });
});
