// Shaping values for a solution report: lists within the schema's limits, keys and test ids from free names.

/** A list for the report: at most 100 entries (the schema's limit), in a stable order. */
export function reportList(values: Iterable<string>, sort = true): string[] {
  const list = [...values];
  return (sort ? list.sort() : list).slice(0, 100);
}

/** A config or metric key segment from a free name ("Common Web Attack" → "Common-Web-Attack"). */
export function keySegment(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9_.:@-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return (cleaned || 'unnamed').slice(0, 60);
}

/** A test id segment: lower-case slug. */
export function slugSegment(name: string): string {
  return keySegment(name)
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '-')
    .slice(0, 40);
}

/** A parsed JSON or YAML mapping (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
