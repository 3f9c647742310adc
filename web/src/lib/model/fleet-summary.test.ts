import { describe, expect, it } from 'vitest';
import { fleetSummaryFromDoc } from './fleet-summary';

const timestamp = (iso: string) => ({ toDate: () => new Date(iso) });

describe('fleetSummaryFromDoc', () => {
  it('reads the counts, the hourly points (oldest first) and the attention list as the schedule writes them', () => {
    const summary = fleetSummaryFromDoc({
      computedAt: timestamp('2026-01-02T12:01:00Z'),
      counts: {
        agents: 4,
        online: 1,
        offline: 1,
        neverSeen: 1,
        revoked: 1,
        failing: 1,
        solutionsInstalled: 3,
        solutionKinds: 2,
        testsPassed: 8,
        testsFailed: 1,
      },
      hours: [
        { hour: '2026-01-02T12:00:00.000Z', passed: 8, failed: 1 },
        { hour: '2026-01-02T10:00:00.000Z', passed: 9, failed: 0 },
      ],
      attention: [
        { agentId: 'a', name: 'web-1', status: 'online', testsFailed: 1, lastSeenAt: timestamp('2026-01-02T12:00:00Z') },
        { agentId: 'b', name: 'db-1', status: 'offline', testsFailed: 0, lastSeenAt: null },
      ],
    });
    expect(summary.computedAt?.toISOString()).toBe('2026-01-02T12:01:00.000Z');
    expect(summary.counts).toEqual({
      agents: 4,
      online: 1,
      offline: 1,
      neverSeen: 1,
      revoked: 1,
      failing: 1,
      solutionsInstalled: 3,
      solutionKinds: 2,
      testsPassed: 8,
      testsFailed: 1,
    });
    expect(summary.hours.map((point) => point.hour)).toEqual(['2026-01-02T10:00:00.000Z', '2026-01-02T12:00:00.000Z']);
    expect(summary.attention).toMatchObject([
      { id: 'a', name: 'web-1', status: 'online', testsFailed: 1 },
      { id: 'b', name: 'db-1', status: 'offline', testsFailed: 0, lastSeenAt: null },
    ]);
    expect(summary.attention[0]?.lastSeenAt?.toISOString()).toBe('2026-01-02T12:00:00.000Z');
  });

  it('reads an odd document as zeros and drops what it cannot use, never throwing', () => {
    const summary = fleetSummaryFromDoc({
      computedAt: 'yesterday',
      counts: { agents: '5', online: -2, offline: 2.7, testsPassed: Number.NaN },
      hours: [{ hour: 'not a time', passed: 1, failed: 0 }, { passed: 1 }, 'x', { hour: '2026-01-02T10:00:00.000Z', passed: 'many' }],
      attention: [{ name: 'no id' }, { agentId: 'c', status: 'weird', testsFailed: 'x' }, null],
    });
    expect(summary.computedAt).toBeNull();
    expect(summary.counts).toMatchObject({ agents: 0, online: 0, offline: 2, testsPassed: 0, revoked: 0, failing: 0 });
    expect(summary.hours).toEqual([{ hour: '2026-01-02T10:00:00.000Z', passed: 0, failed: 0 }]);
    expect(summary.attention).toEqual([{ id: 'c', name: 'c', status: 'never-seen', testsFailed: 0, lastSeenAt: null }]);
    expect(fleetSummaryFromDoc({})).toEqual({
      computedAt: null,
      counts: expect.objectContaining({ agents: 0, testsFailed: 0 }) as unknown,
      hours: [],
      attention: [],
    });
  });
});
