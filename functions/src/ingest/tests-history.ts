// Hourly pass/fail counts kept on the agent document (no extra write: ingest updates it anyway), so
// the overview's "tests passing over time" chart sums what it already read. Pure.
export interface HourBucket {
  hour: string;
  passed: number;
  failed: number;
}

export const HOURS_KEPT = 48;

export function hourOf(isoTime: string): string {
  const date = new Date(isoTime);
  date.setUTCMinutes(0, 0, 0);
  return date.toISOString();
}

/** The latest report of each hour sets that hour's bucket; a late, older hour is inserted in order. */
export function updateTestsHistory(existing: unknown, collectedAt: string, passed: number, failed: number): HourBucket[] {
  const buckets = Array.isArray(existing)
    ? existing.filter((bucket): bucket is HourBucket => typeof bucket?.hour === 'string' && Number.isFinite(bucket?.passed) && Number.isFinite(bucket?.failed))
    : [];
  const hour = hourOf(collectedAt);
  const others = buckets.filter((bucket) => bucket.hour !== hour);
  return [...others, { hour, passed, failed }].sort((a, b) => a.hour.localeCompare(b.hour)).slice(-HOURS_KEPT);
}
