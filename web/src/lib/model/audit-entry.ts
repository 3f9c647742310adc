// An audit entry (workspaces/{ws}/audit/{id}, auditEntrySchema) as the Activity page shows it, read
// tolerantly: an action or target type from a newer backend is kept as its name, never a crash.
// Every key in before/after is data (a setting's name, a notification kind): read as own entries.
import type { ConfigurationValue } from '@vigil/schema';
import { ownValue } from '@vigil/schema/constants';
import { asDate, asNullableString, asRecord, asString, isRecord, type Fields } from './values';

export type AuditActorView = { type: 'user'; uid: string; email: string | null } | { type: 'system' } | { type: 'unknown' };

export interface AuditEntryView {
  id: string;
  at: Date | null;
  actor: AuditActorView;
  /** One of AUDIT_ACTIONS, or a name this dashboard does not know yet. */
  action: string;
  target: { type: string; id: string; name: string | null };
  /** What the entry says changed, one line per field (see auditChanges). */
  changes: AuditChange[];
  ip: string | null;
}

/**
 * One field of before/after: `path` dotted through nested maps, a key that is not plain in brackets
 * (labels["a.b"]). A side the entry did not record at
 * all is undefined (a creation has no before); a field one side lacks is null there ("not set").
 */
export interface AuditChange {
  path: string;
  before: ConfigurationValue | undefined;
  after: ConfigurationValue | undefined;
}

function readActor(value: unknown): AuditActorView {
  const actor = asRecord(value);
  if (actor.type === 'user') return { type: 'user', uid: asString(actor.uid), email: asNullableString(actor.email) };
  if (actor.type === 'system') return { type: 'system' };
  return { type: 'unknown' };
}

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** A stored value as one the diff shows: scalars and lists of scalars as they are, anything else as JSON text. */
function asShownValue(value: unknown): ConfigurationValue {
  if (value === undefined) return null;
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  // A Timestamp (or anything with toDate) reads as its ISO time rather than as {seconds, nanoseconds}.
  const date = asDate(value);
  if (date) return date.toISOString();
  return JSON.stringify(value);
}

/** A key that reads unambiguously after a dot: one without a dot, bracket, quote or space. */
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * `prefix` and `key` as one path. A key that is not plain (a label key 'a.b' may hold a dot) is
 * written as labels["a.b"]: joined with a dot it would read as the nested field labels.a.b.
 */
function joinPath(prefix: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${prefix}[${JSON.stringify(key)}]`;
  return prefix ? `${prefix}.${key}` : key;
}

/** Every leaf of a map as [path, value] (joinPath); nested maps are walked, lists are leaves. */
function leaves(value: Fields, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, item]): [string, unknown][] => {
    const path = joinPath(prefix, key);
    return isRecord(item) && !asDate(item) && Object.keys(item).length > 0 ? leaves(item, path) : [[path, item]];
  });
}

/**
 * before → after as the fields that differ (both recorded), or every recorded field (one side only),
 * in the order the entry lists them. Unchanged fields are left out: a settings change shows only the
 * setting that moved, not all of them.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const hasBefore = isRecord(before);
  const hasAfter = isRecord(after);
  if (!hasBefore && !hasAfter) return [];
  const beforeLeaves = Object.fromEntries(hasBefore ? leaves(before) : []);
  const afterLeaves = Object.fromEntries(hasAfter ? leaves(after) : []);
  const paths = [...new Set([...Object.keys(beforeLeaves), ...Object.keys(afterLeaves)])];
  return paths.flatMap((path): AuditChange[] => {
    const was = hasBefore ? asShownValue(ownValue(beforeLeaves, path)) : undefined;
    const is = hasAfter ? asShownValue(ownValue(afterLeaves, path)) : undefined;
    if (hasBefore && hasAfter && JSON.stringify(was) === JSON.stringify(is)) return [];
    return [{ path, before: was, after: is }];
  });
}

export function auditEntryFromDoc(id: string, data: Fields): AuditEntryView {
  const target = asRecord(data.target);
  return {
    id,
    at: asDate(data.at),
    actor: readActor(data.actor),
    action: asString(data.action, 'unknown'),
    target: { type: asString(target.type, 'unknown'), id: asString(target.id), name: asNullableString(target.name) },
    changes: auditChanges(data.before, data.after),
    ip: asNullableString(data.ip),
  };
}
