import { describe, expect, it } from 'vitest';
import { ownValue } from '@vigil/schema/constants';
import {
  agentConditions,
  agentOrder,
  effectiveFilters,
  filtersKey,
  isFiltered,
  NO_FILTERS,
  type AgentCondition,
  type AgentFilters,
} from './agent-filters';

// The conditions run in Firestore; here each is applied as Firestore applies it (a field compared
// with ==, !=, >, >=, <, array-contains; != null needs the field present), so the test says which
// agents each filter finds, as the list's test did when it filtered in the browser.
function field(document: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), document);
}

// A label condition names its key as one segment, as FieldPath('labels', key) does in data/agents.ts.
function holds(document: Record<string, unknown>, condition: AgentCondition): boolean {
  const labels = document.labels as Record<string, unknown> | undefined;
  const value = condition.field === 'label' ? (labels ? ownValue(labels, condition.key) : undefined) : field(document, condition.field);
  switch (condition.op) {
    case '==':
      return value === condition.value;
    case '!=':
      return value !== undefined && value !== condition.value;
    case 'array-contains':
      return Array.isArray(value) && value.includes(condition.value);
    case '>':
      return typeof value === 'number' && value > condition.value;
    case '>=':
      return typeof value === 'string' && value >= condition.value;
    case '<':
      return typeof value === 'string' && value < condition.value;
  }
}

const agents: Record<string, Record<string, unknown>> = {
  'web-1': { name: 'web-1', status: 'online', revokedAt: null, summary: { solutions: ['clamav'], testsFailed: 2 }, labels: { env: 'prod' } },
  'Web-2': { name: 'Web-2', status: 'online', revokedAt: null, summary: { solutions: ['ufw'], testsFailed: 0 }, labels: { env: 'dev' } },
  'db-1': {
    name: 'db-1',
    status: 'offline',
    revokedAt: null,
    summary: { solutions: ['ufw'], testsFailed: 0 },
    labels: { env: 'prod', role: 'db', 'team.name': 'core' },
  },
  new: { name: 'new', status: 'never-seen', revokedAt: null, summary: { solutions: [], testsFailed: 0 } },
  // Revoked while online: it keeps that status, and only "revoked" finds it.
  old: { name: 'old', status: 'online', revokedAt: { seconds: 1 }, summary: { solutions: ['clamav'], testsFailed: 1 }, labels: { env: 'prod' } },
};

const found = (filters: Partial<AgentFilters>) =>
  Object.keys(agents).filter((id) => agentConditions({ ...NO_FILTERS, ...filters }).every((condition) => holds(agents[id]!, condition)));

describe('agent filters', () => {
  it('finds every agent without a filter, and asks nothing of Firestore', () => {
    expect(agentConditions(NO_FILTERS)).toEqual([]);
    expect(found({})).toEqual(['web-1', 'Web-2', 'db-1', 'new', 'old']);
    expect(isFiltered(NO_FILTERS)).toBe(false);
  });

  it('filters by status, leaving revoked agents to the revoked filter', () => {
    expect(found({ status: 'online' })).toEqual(['web-1', 'Web-2']);
    expect(found({ status: 'offline' })).toEqual(['db-1']);
    expect(found({ status: 'never-seen' })).toEqual(['new']);
    expect(found({ status: 'revoked' })).toEqual(['old']);
  });

  it('filters by solution and by failing tests', () => {
    expect(found({ solution: 'ufw' })).toEqual(['Web-2', 'db-1']);
    expect(found({ failingOnly: true })).toEqual(['web-1', 'old']);
    expect(found({ failingOnly: true, status: 'online' })).toEqual(['web-1']);
    expect(found({ solution: 'clamav', status: 'revoked', failingOnly: true })).toEqual(['old']);
  });

  it('searches a name prefix, case-sensitive and trimmed, as a range on name', () => {
    expect(found({ search: 'web' })).toEqual(['web-1']);
    expect(found({ search: 'Web' })).toEqual(['Web-2']);
    expect(found({ search: '  db-' })).toEqual(['db-1']);
    expect(found({ search: 'x' })).toEqual([]);
    expect(found({ search: '   ' })).toEqual(found({}));
    expect(agentConditions({ ...NO_FILTERS, search: 'web' })).toEqual([
      { field: 'name', op: '>=', value: 'web' },
      { field: 'name', op: '<', value: 'web\uf8ff' },
    ]);
  });

  it('filters by one label, alone or with a status or a solution, ordered by document id', () => {
    expect(found({ label: 'env=prod' })).toEqual(['web-1', 'db-1', 'old']);
    expect(found({ label: ' role = db ' })).toEqual(['db-1']);
    expect(found({ label: 'env=staging' })).toEqual([]);
    expect(found({ label: 'env=prod', status: 'online' })).toEqual(['web-1']);
    expect(found({ label: 'env=prod', solution: 'ufw' })).toEqual(['db-1']);
    expect(agentConditions({ ...NO_FILTERS, label: 'env=prod' })).toEqual([{ field: 'label', key: 'env', op: '==', value: 'prod' }]);
    expect(agentOrder({ ...NO_FILTERS, label: 'env=prod' })).toBe('id');
    expect(agentOrder({ ...NO_FILTERS, status: 'online' })).toBe('name');
  });

  it('carries a label key with a dot as one key, never a nested path', () => {
    expect(agentConditions({ ...NO_FILTERS, label: 'team.name=core' })).toEqual([{ field: 'label', key: 'team.name', op: '==', value: 'core' }]);
    expect(found({ label: 'team.name=core' })).toEqual(['db-1']);
    expect(found({ label: 'team.name=other' })).toEqual([]);
  });

  it('asks no range or != of a label query, so it needs no per-key composite index', () => {
    const everything = { search: 'web', status: 'revoked' as const, solution: 'clamav', failingOnly: true, label: 'env=prod' };
    const conditions = agentConditions(everything);
    expect(conditions.every((condition) => condition.op === '==' || condition.op === 'array-contains')).toBe(true);
    expect(effectiveFilters(everything)).toEqual({ ...everything, search: '', status: 'all', failingOnly: false });
    expect(effectiveFilters({ ...everything, label: '' })).toEqual({ ...everything, label: '' });
    for (const status of ['online', 'offline', 'never-seen', 'all'] as const) {
      expect(agentConditions({ ...everything, status }).every((condition) => condition.op === '==' || condition.op === 'array-contains')).toBe(true);
    }
  });

  it('ignores a label filter that is not key=value (the field says why) and a label that is not valid', () => {
    expect(agentConditions({ ...NO_FILTERS, label: 'env' })).toEqual([]);
    expect(agentConditions({ ...NO_FILTERS, label: 'Env=prod' })).toEqual([]);
    expect(isFiltered({ ...NO_FILTERS, label: 'env' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, label: 'env=prod' })).toBe(true);
  });

  it('names the same filters with the same key, and different ones apart', () => {
    expect(filtersKey({ ...NO_FILTERS, search: ' web ' })).toBe(filtersKey({ ...NO_FILTERS, search: 'web' }));
    const keys = [
      NO_FILTERS,
      { ...NO_FILTERS, status: 'online' as const },
      { ...NO_FILTERS, failingOnly: true },
      { ...NO_FILTERS, solution: 'ufw' },
      { ...NO_FILTERS, label: 'env=prod' },
      { ...NO_FILTERS, label: 'env=dev' },
    ].map(filtersKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
