import { readFileSync } from 'node:fs';
import { dashboardLinks } from '@vigil/schema/constants';
import { describe, expect, it } from 'vitest';
import {
  auditConditions,
  auditFilterParams,
  auditFiltersFrom,
  auditFiltersKey,
  auditFiltersProblem,
  auditIndexFor,
  dayStart,
  isAuditFiltered,
  type AuditFilters,
} from './audit-filters';

interface StoredIndex {
  collectionGroup: string;
  queryScope: string;
  fields: { fieldPath: string; order?: string; arrayConfig?: string }[];
}

/** The composite indexes deployed with the project (the emulator enforces none, so this test does). */
function auditIndexes(): StoredIndex[] {
  const file = JSON.parse(readFileSync(new URL('../../../../firestore.indexes.json', import.meta.url), 'utf8')) as { indexes: StoredIndex[] };
  return file.indexes.filter((index) => index.collectionGroup === 'audit');
}

/** Every filter the page can set, each on or off: 32 combinations. */
function everyCombination(): AuditFilters[] {
  const parts: AuditFilters[] = [
    { actorUid: 'u1' },
    { action: 'member.role_changed' },
    { agentId: 'a1' },
    { from: '2026-11-01' },
    { to: '2026-11-30' },
  ];
  return Array.from({ length: 2 ** parts.length }, (_, mask) => Object.assign({}, ...parts.filter((_, bit) => mask & (1 << bit))) as AuditFilters);
}

describe('the Activity page query', () => {
  it('turns each filter into its server condition', () => {
    expect(auditConditions({})).toEqual([]);
    expect(auditConditions({ actorUid: 'u1' })).toEqual([{ field: 'actor.uid', op: '==', value: 'u1' }]);
    expect(auditConditions({ action: 'agent.created' })).toEqual([{ field: 'action', op: '==', value: 'agent.created' }]);
    expect(auditConditions({ agentId: 'a1' })).toEqual([
      { field: 'target.type', op: '==', value: 'agent' },
      { field: 'target.id', op: '==', value: 'a1' },
    ]);
    // Days are the browser's: from the start of the first day to the start of the day after the last.
    expect(auditConditions({ from: '2026-11-30', to: '2026-12-31' })).toEqual([
      { field: 'at', op: '>=', value: new Date(2026, 10, 30) },
      { field: 'at', op: '<', value: new Date(2027, 0, 1) },
    ]);
    expect(auditConditions({ to: '2026-02-28' })).toEqual([{ field: 'at', op: '<', value: new Date(2026, 2, 1) }]);
  });

  it('combines filters with equalities in one order, whatever order they were chosen in', () => {
    const fields = (filters: AuditFilters) => auditConditions(filters).map((condition) => condition.field);
    expect(fields({ agentId: 'a1', from: '2026-11-01', action: 'agent.revoked', actorUid: 'u1' })).toEqual([
      'actor.uid',
      'action',
      'target.type',
      'target.id',
      'at',
    ]);
  });

  it('has a composite index in firestore.indexes.json for every query shape the page can build', () => {
    const stored = auditIndexes();
    const needed = new Map<string, ReturnType<typeof auditIndexFor>>();
    for (const filters of everyCombination()) {
      const index = auditIndexFor(filters);
      // Only `at` (a range on it and the order by it): the built-in single-field index serves it.
      if (index === null) {
        expect(auditConditions(filters).every((condition) => condition.field === 'at')).toBe(true);
        continue;
      }
      needed.set(JSON.stringify(index), index);
      const match = stored.find((candidate) => candidate.queryScope === 'COLLECTION' && JSON.stringify(candidate.fields) === JSON.stringify(index));
      expect(match, `an index for ${JSON.stringify(filters)}: ${JSON.stringify(index)}`).toBeDefined();
    }
    // Three equality filters, each on or off: seven shapes, and no stored index nobody uses.
    expect(needed.size).toBe(7);
    expect(stored).toHaveLength(7);
  });

  it('reads the filters from the URL and writes them back the same', () => {
    const filters: AuditFilters = { actorUid: 'u1', action: 'test.checked', agentId: 'a1', from: '2026-11-01', to: '2026-11-02' };
    const link = dashboardLinks.activity('w1', auditFilterParams(filters));
    expect(link).toBe('/activity/?ws=w1&person=u1&action=test.checked&agent=a1&from=2026-11-01&to=2026-11-02');
    expect(auditFiltersFrom(new URL(link, 'https://x').searchParams)).toEqual(filters);
    expect(dashboardLinks.activity('w1', auditFilterParams({}))).toBe('/activity/?ws=w1');
  });

  it('drops from the URL what is no filter: an unknown action, a date that is no day', () => {
    const params = new URLSearchParams({ action: 'constructor', from: '2026-02-30', to: 'yesterday', person: '' });
    expect(auditFiltersFrom(params)).toEqual({});
    expect(dayStart('2026-02-30')).toBeNull();
    expect(dayStart('2026-2-3')).toBeNull();
    expect(dayStart('2024-02-29')).toEqual(new Date(2024, 1, 29));
  });

  it('says when the days cannot match, before asking the server', () => {
    expect(auditFiltersProblem({ from: '2026-11-02', to: '2026-11-01' })).toMatch(/first day is after the last/);
    expect(auditFiltersProblem({ from: '2026-11-01', to: '2026-11-01' })).toBeNull();
    expect(auditFiltersProblem({ from: '2026-11-01' })).toBeNull();
  });

  it('keys each combination apart, and knows when any filter is on', () => {
    const keys = everyCombination().map(auditFiltersKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(isAuditFiltered({})).toBe(false);
    expect(everyCombination().slice(1).every(isAuditFiltered)).toBe(true);
  });
});
