// The events page's filters (workspaces/{ws}/events) and the Firestore query each combination
// becomes. Pure: data/events.ts turns the conditions into SDK constraints. Every filter runs on the
// server, newest first (createdAt descending), so a page reads only the events it shows; each
// combination has its composite index in firestore.indexes.json (event-filters.test.ts checks).
//
// The label filter matches `labelPairs`, the `key=value` pairs an event keeps of its agent's labels
// when it happened (labels.ts labelPairs): one `array-contains` on one field, so one index per
// combination serves every label key. Firestore takes one `array-contains` per query, and the
// solution filter is one too (`solutionIds`): a label and a solution cannot be combined, and one
// label at a time is all a query can ask.
import { isEventKind, labelPair, type EventKind } from '@vigil/schema/constants';
import { parseLabelFilter } from './labels';

export interface EventFilters {
  kind?: EventKind;
  agentId?: string;
  solutionId?: string;
  /** One label as typed, `key=value` (domain/labels.ts parseLabelFilter checks it). */
  label?: string;
}

export type EventCondition =
  { field: 'agentId' | 'kind'; op: '=='; value: string } | { field: 'solutionIds' | 'labelPairs'; op: 'array-contains'; value: string };

/** Events are always ordered by createdAt, newest first: the field every index ends with. */
export const EVENTS_ORDER = { field: 'createdAt', direction: 'desc' } as const;

/** The filters a URL asks for (`kind`, `agent`, `solution`, `label`); an unknown kind is dropped, a label kept as written (checked by eventFiltersProblem). */
export function eventFiltersFrom(params: URLSearchParams): EventFilters {
  const kind = params.get('kind');
  const label = params.get('label')?.trim() ?? '';
  return {
    ...(isEventKind(kind) ? { kind } : {}),
    ...(params.get('agent') ? { agentId: params.get('agent')! } : {}),
    ...(params.get('solution') ? { solutionId: params.get('solution')! } : {}),
    ...(label ? { label } : {}),
  };
}

/** The filters as the events link's query parameters (dashboardLinks.events). */
export function eventFilterParams(filters: EventFilters) {
  return { kind: filters.kind, agent: filters.agentId, solution: filters.solutionId, label: filters.label };
}

/** The label filter as the pair events carry, or null without one or when it is no valid label. */
function filterPair(filters: EventFilters): string | null {
  if (!filters.label) return null;
  const parsed = parseLabelFilter(filters.label);
  return 'label' in parsed && parsed.label ? labelPair(parsed.label.key, parsed.label.value) : null;
}

/** Why these filters cannot be asked of the server (the page says it instead of reading); null when they can. */
export function eventFiltersProblem(filters: EventFilters): string | null {
  if (filters.label) {
    const parsed = parseLabelFilter(filters.label);
    if ('problem' in parsed) return parsed.problem;
    if (filters.solutionId) return 'Filter by a solution or by a label, not both: choose one of them.';
  }
  return null;
}

/**
 * The query's conditions for `filters`, in one order whatever order they were chosen in: agent,
 * kind, solution, label. Meaningful only when eventFiltersProblem is null.
 */
export function eventConditions(filters: EventFilters): EventCondition[] {
  const conditions: EventCondition[] = [];
  if (filters.agentId) conditions.push({ field: 'agentId', op: '==', value: filters.agentId });
  if (filters.kind) conditions.push({ field: 'kind', op: '==', value: filters.kind });
  if (filters.solutionId) conditions.push({ field: 'solutionIds', op: 'array-contains', value: filters.solutionId });
  const pair = filterPair(filters);
  if (pair !== null) conditions.push({ field: 'labelPairs', op: 'array-contains', value: pair });
  return conditions;
}

export interface IndexField {
  fieldPath: string;
  order?: 'ASCENDING' | 'DESCENDING';
  arrayConfig?: 'CONTAINS';
}

/**
 * The composite index the query of `filters` needs, as firestore.indexes.json spells it: its
 * conditions' fields, then createdAt descending; null for no filter (the single-field index serves it).
 */
export function eventsIndexFor(filters: EventFilters): IndexField[] | null {
  const conditions = eventConditions(filters);
  if (conditions.length === 0) return null;
  return [
    ...conditions.map((condition): IndexField =>
      condition.op === '==' ? { fieldPath: condition.field, order: 'ASCENDING' } : { fieldPath: condition.field, arrayConfig: 'CONTAINS' },
    ),
    { fieldPath: EVENTS_ORDER.field, order: 'DESCENDING' },
  ];
}

export const isEventsFiltered = (filters: EventFilters): boolean => Boolean(filters.kind || filters.agentId || filters.solutionId || filters.label);

/** The filters as one SWR key part: the feed starts again when any of them changes. */
export function eventFiltersKey(filters: EventFilters): string {
  return JSON.stringify([filters.kind ?? '', filters.agentId ?? '', filters.solutionId ?? '', filters.label ?? '']);
}
