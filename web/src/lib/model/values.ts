// Tolerant readers for Firestore data. Documents are written by our functions after zod validation,
// but a page must never crash on one odd document (an older shape, a hand edit in the console): a
// reader takes what it can and falls back to a safe default.
export type Fields = Record<string, unknown>;

export const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

export const asRecord = (value: unknown): Fields => (isRecord(value) ? value : {});

export const asString = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

export const asNullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const asNumber = (value: unknown, fallback = 0): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

export const asStringArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Any SDK's Timestamp (it has toDate) as a Date; null for anything else. */
export function asDate(value: unknown): Date | null {
  if (isRecord(value) && typeof value.toDate === 'function') {
    const date: unknown = value.toDate();
    return date instanceof Date && !Number.isNaN(date.getTime()) ? date : null;
  }
  return null;
}

/** An ISO string as a Date; null when absent or unparsable. */
export function isoDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** A record whose values pass `keep`, others dropped; its keys are own entries, whatever their names. */
export function recordOf<T>(value: unknown, keep: (item: unknown) => item is T): Record<string, T> {
  // Object.fromEntries defines own entries: a "__proto__" key stays data instead of replacing the prototype.
  return Object.fromEntries(Object.entries(asRecord(value)).filter((entry): entry is [string, T] => keep(entry[1])));
}

export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
