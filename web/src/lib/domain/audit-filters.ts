// The Activity page's filters (the audit log, workspaces/{ws}/audit) and the Firestore query each
// combination becomes. Pure: data/audit.ts turns the conditions into SDK constraints. Every filter
// runs on the server, newest first, so a page reads only the entries it shows; each combination of
// equality filters has its composite index in firestore.indexes.json (audit-filters.test.ts checks).
import { AUDIT_ACTIONS, type AuditAction } from '@vigil/schema/constants';

export interface AuditFilters {
  /** A member's uid: entries whose actor is that person. */
  actorUid?: string;
  action?: AuditAction;
  /** An agent's id: entries about that agent (target.type 'agent'). */
  agentId?: string;
  /** The first day shown, as YYYY-MM-DD in the browser's time zone. */
  from?: string;
  /** The last day shown (inclusive), as YYYY-MM-DD. */
  to?: string;
}

/** Entries per page of the Activity page. */
export const AUDIT_PAGE_SIZE = 25;

export type AuditCondition =
  { field: 'actor.uid' | 'action' | 'target.type' | 'target.id'; op: '=='; value: string } | { field: 'at'; op: '>=' | '<'; value: Date };

/** Entries are always ordered by `at`, newest first: the field every index ends with. */
export const AUDIT_ORDER = { field: 'at', direction: 'desc' } as const;

export const isAuditAction = (value: unknown): value is AuditAction => AUDIT_ACTIONS.some((action) => action === value);

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The start of a YYYY-MM-DD day in the browser's time zone; null for anything else (2026-02-30 too). */
export function dayStart(day: string): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = new Date(year, month - 1, date);
  return start.getFullYear() === year && start.getMonth() === month - 1 && start.getDate() === date ? start : null;
}

/** The start of the day after: `to` is inclusive, so the query asks `at <` this. */
function dayAfter(day: string): Date | null {
  const start = dayStart(day);
  return start && new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
}

/**
 * The filters a URL asks for (`person`, `action`, `agent`, `from`, `to`). What is not a filter is
 * dropped rather than refused: an action name the dashboard does not know, or a date that is no day.
 */
export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  const action = params.get('action');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    ...(params.get('person') ? { actorUid: params.get('person')! } : {}),
    ...(isAuditAction(action) ? { action } : {}),
    ...(params.get('agent') ? { agentId: params.get('agent')! } : {}),
    ...(dayStart(from) ? { from } : {}),
    ...(dayStart(to) ? { to } : {}),
  };
}

/** The filters as the Activity link's query parameters (dashboardLinks.activity). */
export function auditFilterParams(filters: AuditFilters) {
  return { person: filters.actorUid, action: filters.action, agent: filters.agentId, from: filters.from, to: filters.to };
}

/** Why these filters can match nothing, said before asking the server; null when they can. */
export function auditFiltersProblem(filters: AuditFilters): string | null {
  if (filters.from && filters.to && filters.from > filters.to) return 'The first day is after the last day: choose a first day on or before it.';
  return null;
}

export const isAuditFiltered = (filters: AuditFilters): boolean => auditConditions(filters).length > 0;

/**
 * The query's conditions for `filters`: equalities in a fixed order (person, action, agent), then the
 * days as a range on `at`. A range on the field the query is ordered by needs no index of its own,
 * so the index of a combination is its equality fields followed by `at` descending.
 */
export function auditConditions(filters: AuditFilters): AuditCondition[] {
  const conditions: AuditCondition[] = [];
  if (filters.actorUid) conditions.push({ field: 'actor.uid', op: '==', value: filters.actorUid });
  if (filters.action) conditions.push({ field: 'action', op: '==', value: filters.action });
  if (filters.agentId) {
    conditions.push({ field: 'target.type', op: '==', value: 'agent' }, { field: 'target.id', op: '==', value: filters.agentId });
  }
  const from = filters.from ? dayStart(filters.from) : null;
  const until = filters.to ? dayAfter(filters.to) : null;
  if (from) conditions.push({ field: 'at', op: '>=', value: from });
  if (until) conditions.push({ field: 'at', op: '<', value: until });
  return conditions;
}

export interface IndexField {
  fieldPath: string;
  order: 'ASCENDING' | 'DESCENDING';
}

/**
 * The composite index the query for `filters` needs, as firestore.indexes.json spells its fields;
 * null when the built-in single-field index serves it (no equality filter: only `at`).
 */
export function auditIndexFor(filters: AuditFilters): IndexField[] | null {
  const equalities = auditConditions(filters).filter((condition) => condition.op === '==');
  if (equalities.length === 0) return null;
  return [
    ...equalities.map((condition): IndexField => ({ fieldPath: condition.field, order: 'ASCENDING' })),
    { fieldPath: 'at', order: 'DESCENDING' },
  ];
}

/** The filters as one stable string, for SWR keys: the list starts again at page one when it changes. */
export function auditFiltersKey(filters: AuditFilters): string {
  return JSON.stringify([filters.actorUid ?? '', filters.action ?? '', filters.agentId ?? '', filters.from ?? '', filters.to ?? '']);
}
