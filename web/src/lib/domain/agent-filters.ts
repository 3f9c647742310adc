// The agents page's filters and the Firestore query each combination becomes. Pure: data/agents.ts
// turns the plan into SDK constraints, and every filter runs on the server, so a page reads only
// the agents it shows (docs/architecture.md, "The dashboard").
import type { AgentStatus } from '@vigil/schema';

export type StatusFilter = AgentStatus | 'revoked' | 'all';

export interface AgentFilters {
  /** A name prefix, as typed: names are matched case-sensitively, as they were entered. */
  search: string;
  status: StatusFilter;
  /** A solution id, or '' for any. */
  solution: string;
  failingOnly: boolean;
}

export const NO_FILTERS: AgentFilters = { search: '', status: 'all', solution: '', failingOnly: false };

/** Agents per page of the agents list. */
export const AGENTS_PAGE_SIZE = 25;

/** Agents the events page's agent search offers for one prefix. */
export const AGENT_SEARCH_LIMIT = 10;

/** The highest code point of the Basic Multilingual Plane's private use area: `prefix + END` sorts after every name starting with `prefix`. */
const PREFIX_END = '\uf8ff';

export type AgentCondition =
  | { field: 'status'; op: '=='; value: AgentStatus }
  | { field: 'revokedAt'; op: '==' | '!='; value: null }
  | { field: 'summary.solutions'; op: 'array-contains'; value: string }
  | { field: 'summary.testsFailed'; op: '>'; value: 0 }
  | { field: 'name'; op: '>=' | '<'; value: string };

/**
 * The conditions of the query for `filters`; results are always ordered by name (then document id).
 * A revoked agent keeps its last status, so a status filter also asks `revokedAt == null`, and
 * "revoked" is `revokedAt != null`. Each combination has its composite index in firestore.indexes.json
 * (equality fields first, then name, then the other range fields).
 */
export function agentConditions(filters: AgentFilters): AgentCondition[] {
  const conditions: AgentCondition[] = [];
  if (filters.status === 'revoked') conditions.push({ field: 'revokedAt', op: '!=', value: null });
  else if (filters.status !== 'all')
    conditions.push({ field: 'revokedAt', op: '==', value: null }, { field: 'status', op: '==', value: filters.status });
  if (filters.solution) conditions.push({ field: 'summary.solutions', op: 'array-contains', value: filters.solution });
  if (filters.failingOnly) conditions.push({ field: 'summary.testsFailed', op: '>', value: 0 });
  conditions.push(...namePrefixConditions(filters.search));
  return conditions;
}

/** `name` starting with `search` (trimmed); none for an empty search. */
export function namePrefixConditions(search: string): AgentCondition[] {
  const prefix = search.trim();
  if (!prefix) return [];
  return [
    { field: 'name', op: '>=', value: prefix },
    { field: 'name', op: '<', value: prefix + PREFIX_END },
  ];
}

/** Whether any filter narrows the list (the page then says "N match" rather than "N agents"). */
export function isFiltered(filters: AgentFilters): boolean {
  return agentConditions(filters).length > 0;
}

/** The filters as one stable string, for SWR keys: the list starts again at page one when it changes. */
export function filtersKey(filters: AgentFilters): string {
  return JSON.stringify([filters.search.trim(), filters.status, filters.solution, filters.failingOnly]);
}
