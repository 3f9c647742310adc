import { readFileSync } from 'node:fs';
import { dashboardLinks } from '@vigil/schema/constants';
import { describe, expect, it } from 'vitest';
import {
  eventConditions,
  eventFilterParams,
  eventFiltersFrom,
  eventFiltersKey,
  eventFiltersProblem,
  eventsIndexFor,
  isEventsFiltered,
  type EventFilters,
} from './event-filters';

interface StoredIndex {
  collectionGroup: string;
  queryScope: string;
  fields: { fieldPath: string; order?: string; arrayConfig?: string }[];
}

/** The composite indexes deployed with the project (the emulator enforces none, so this test does). */
function eventIndexes(): StoredIndex[] {
  const file = JSON.parse(readFileSync(new URL('../../../../firestore.indexes.json', import.meta.url), 'utf8')) as { indexes: StoredIndex[] };
  return file.indexes.filter((index) => index.collectionGroup === 'events' && index.queryScope === 'COLLECTION');
}

/** Every filter the page can set, each on or off: 16 combinations. */
function everyCombination(): EventFilters[] {
  const parts: EventFilters[] = [{ agentId: 'a1' }, { kind: 'test_failed' }, { solutionId: 'nginx' }, { label: 'env=prod' }];
  return Array.from({ length: 2 ** parts.length }, (_, mask) => Object.assign({}, ...parts.filter((_, bit) => mask & (1 << bit))) as EventFilters);
}

const PAGE_FIELDS = new Set(['agentId', 'kind', 'solutionIds', 'labelPairs', 'createdAt']);

describe('the events page query', () => {
  it('turns each filter into its server condition; the label into the pair events carry', () => {
    expect(eventConditions({})).toEqual([]);
    expect(eventConditions({ agentId: 'a1' })).toEqual([{ field: 'agentId', op: '==', value: 'a1' }]);
    expect(eventConditions({ kind: 'agent_offline' })).toEqual([{ field: 'kind', op: '==', value: 'agent_offline' }]);
    expect(eventConditions({ solutionId: 'nginx' })).toEqual([{ field: 'solutionIds', op: 'array-contains', value: 'nginx' }]);
    expect(eventConditions({ label: ' env = prod ' })).toEqual([{ field: 'labelPairs', op: 'array-contains', value: 'env=prod' }]);
    expect(eventConditions({ label: 'team.name=a=b' })).toEqual([{ field: 'labelPairs', op: 'array-contains', value: 'team.name=a=b' }]);
  });

  it('combines filters in one order, whatever order they were chosen in', () => {
    const fields = (filters: EventFilters) => eventConditions(filters).map((condition) => condition.field);
    expect(fields({ label: 'env=prod', kind: 'test_failed', agentId: 'a1' })).toEqual(['agentId', 'kind', 'labelPairs']);
  });

  it('has a composite index in firestore.indexes.json for every query shape the page can build, and none it cannot', () => {
    const stored = eventIndexes();
    const needed = new Map<string, NonNullable<ReturnType<typeof eventsIndexFor>>>();
    let refused = 0;
    for (const filters of everyCombination()) {
      // A label with a solution is two array-contains, which Firestore refuses: the page asks nothing.
      if (eventFiltersProblem(filters) !== null) {
        expect(filters.label && filters.solutionId).toBeTruthy();
        refused += 1;
        continue;
      }
      const index = eventsIndexFor(filters);
      if (index === null) {
        expect(isEventsFiltered(filters)).toBe(false);
        continue;
      }
      needed.set(JSON.stringify(index), index);
      const match = stored.find((candidate) => JSON.stringify(candidate.fields) === JSON.stringify(index));
      expect(match, `an index for ${JSON.stringify(filters)}: ${JSON.stringify(index)}`).toBeDefined();
    }
    expect(refused).toBe(4);
    // Agent, kind and one of solution or label: 3 × 2 × 2 - 1 shapes with a filter.
    expect(needed.size).toBe(11);
    // Every stored events index on the page's fields is one the page uses (others, e.g. acknowledgedAt, serve other reads).
    const pageIndexes = stored.filter((index) => index.fields.every((field) => PAGE_FIELDS.has(field.fieldPath)));
    expect(pageIndexes.map((index) => JSON.stringify(index.fields)).sort()).toEqual([...needed.keys()].sort());
  });

  it('reads the filters from the URL and writes them back the same', () => {
    const filters: EventFilters = { kind: 'test_failed', agentId: 'a1', label: 'env=prod' };
    const link = dashboardLinks.events('w1', eventFilterParams(filters));
    expect(link).toBe('/events/?ws=w1&kind=test_failed&agent=a1&label=env%3Dprod');
    expect(eventFiltersFrom(new URL(link, 'https://x').searchParams)).toEqual(filters);
    expect(dashboardLinks.events('w1', eventFilterParams({}))).toBe('/events/?ws=w1');
    expect(eventFiltersFrom(new URLSearchParams({ solution: 'nginx' }))).toEqual({ solutionId: 'nginx' });
  });

  it('drops an unknown kind and an empty label from the URL, and keeps a bad label to say what is wrong with it', () => {
    expect(eventFiltersFrom(new URLSearchParams({ kind: 'constructor', label: '  ' }))).toEqual({});
    expect(eventFiltersFrom(new URLSearchParams({ label: 'Env=prod' }))).toEqual({ label: 'Env=prod' });
  });

  it('says why a label cannot be asked, before asking the server', () => {
    expect(eventFiltersProblem({ label: 'env' })).toMatch(/key=value/);
    expect(eventFiltersProblem({ label: 'Env=prod' })).toMatch(/lower-case/);
    expect(eventFiltersProblem({ label: `env=${'v'.repeat(64)}` })).toMatch(/at most 63/);
    expect(eventFiltersProblem({ label: 'env=prod', solutionId: 'nginx' })).toMatch(/solution or by a label, not both/);
    expect(eventFiltersProblem({ label: 'env=prod', agentId: 'a1', kind: 'test_failed' })).toBeNull();
    expect(eventFiltersProblem({ solutionId: 'nginx' })).toBeNull();
    // A bad label makes no condition (the page shows the problem and reads nothing).
    expect(eventConditions({ label: 'env' })).toEqual([]);
  });

  it('keys each combination apart, and knows when any filter is on', () => {
    const keys = everyCombination().map(eventFiltersKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(eventFiltersKey({ label: 'a|b' })).not.toBe(eventFiltersKey({ kind: 'a' as EventFilters['kind'], label: 'b' }));
    expect(isEventsFiltered({})).toBe(false);
    expect(everyCombination().slice(1).every(isEventsFiltered)).toBe(true);
  });
});
