// The agents page's filters and the Firestore query each combination becomes. Pure: data/agents.ts
// turns the plan into SDK constraints, and every filter runs on the server, so a page reads only
// the agents it shows (docs/architecture.md, "The dashboard").
import type { AgentStatus } from '@vigil/schema';
import { parseLabelFilter } from './labels';

export type StatusFilter = AgentStatus | 'revoked' | 'all';

export interface AgentFilters {
  /** A name prefix, as typed: names are matched case-sensitively, as they were entered. */
  search: string;
  status: StatusFilter;
  /** A solution id, or '' for any. */
  solution: string;
  failingOnly: boolean;
  /** One label as typed, `key=value`, or '' for none (domain/labels.ts parses it). */
  label: string;
}

export const NO_FILTERS: AgentFilters = { search: '', status: 'all', solution: '', failingOnly: false, label: '' };

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
  | { field: 'name'; op: '>=' | '<'; value: string }
  // A label is `labels.<key>`, but a key may hold a dot ('team.name'), which a dotted field path
  // would read as a nested map: the key is carried apart, and data/agents.ts builds
  // FieldPath('labels', key) from it, one segment however it is spelled.
  | { field: 'label'; key: string; op: '=='; value: string };

/** How a query's results are ordered: by name, or by document id when it filters by a label (labelQuery). */
export type AgentOrder = 'name' | 'id';

/**
 * The conditions of the query for `filters`; results are ordered by name (then document id), or by
 * document id alone with a label filter (isLabelQuery).
 * A revoked agent keeps its last status, so a status filter also asks `revokedAt == null`, and
 * "revoked" is `revokedAt != null`. Each combination has its composite index in firestore.indexes.json
 * (equality fields first, then name, then the other range fields); a label query needs none.
 */
export function agentConditions(input: AgentFilters): AgentCondition[] {
  const filters = effectiveFilters(input);
  const conditions: AgentCondition[] = [];
  const label = filterLabel(filters);
  if (label) conditions.push({ field: 'label', key: label.key, op: '==', value: label.value });
  if (filters.status === 'revoked') conditions.push({ field: 'revokedAt', op: '!=', value: null });
  else if (filters.status !== 'all')
    conditions.push({ field: 'revokedAt', op: '==', value: null }, { field: 'status', op: '==', value: filters.status });
  if (filters.solution) conditions.push({ field: 'summary.solutions', op: 'array-contains', value: filters.solution });
  if (filters.failingOnly) conditions.push({ field: 'summary.testsFailed', op: '>', value: 0 });
  conditions.push(...namePrefixConditions(filters.search));
  return conditions;
}

/** The label filter when it is a valid `key=value`; null when empty or invalid (the field then says why). */
function filterLabel(filters: AgentFilters): { key: string; value: string } | null {
  const parsed = parseLabelFilter(filters.label);
  return 'label' in parsed ? parsed.label : null;
}

/**
 * Whether the query filters by a label. Label keys are the user's, so no composite index can name
 * `labels.<key>` ahead of time (index field paths take no wildcard). A label query is therefore
 * built to need none: equality filters only (the label, `revokedAt == null`, `status`, and the
 * solution's array-contains), which Firestore serves by merging the automatic single-field indexes,
 * ordered by document id rather than by name (ordering by name would need (labels.<key>, name)).
 */
export function isLabelQuery(filters: AgentFilters): boolean {
  return filterLabel(filters) !== null;
}

/**
 * The filters a query applies: with a label, the ones that would need a per-key composite index
 * (the name prefix and failing tests are ranges, "revoked" is `!=`) are off; the filters' form
 * shows them disabled, so nothing is dropped unseen.
 */
export function effectiveFilters(filters: AgentFilters): AgentFilters {
  if (!isLabelQuery(filters)) return filters;
  return { ...filters, search: '', failingOnly: false, status: filters.status === 'revoked' ? 'all' : filters.status };
}

/** The order of the list's query for `filters`. */
export function agentOrder(filters: AgentFilters): AgentOrder {
  return isLabelQuery(filters) ? 'id' : 'name';
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
  return JSON.stringify([filters.search.trim(), filters.status, filters.solution, filters.failingOnly, filters.label.trim()]);
}
