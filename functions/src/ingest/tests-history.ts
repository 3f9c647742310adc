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

function bucketsOf(existing: unknown): HourBucket[] {
  return Array.isArray(existing)
    ? existing.filter(
        (bucket): bucket is HourBucket => typeof bucket?.hour === 'string' && Number.isFinite(bucket?.passed) && Number.isFinite(bucket?.failed),
      )
    : [];
}

/** A live report sets its hour's bucket (the latest report of each hour wins); an hour missing is inserted in order. */
export function updateTestsHistory(existing: unknown, collectedAt: string, passed: number, failed: number): HourBucket[] {
  const buckets = bucketsOf(existing);
  const hour = hourOf(collectedAt);
  const others = buckets.filter((bucket) => bucket.hour !== hour);
  return [...others, { hour, passed, failed }].sort((a, b) => a.hour.localeCompare(b.hour)).slice(-HOURS_KEPT);
}

/**
 * A backfill report only fills an hour that has no bucket yet (the outage's hours): an hour that has
 * one was set by a live report, which is the present. Undefined when nothing would change.
 */
export function fillTestsHistoryGap(existing: unknown, collectedAt: string, passed: number, failed: number): HourBucket[] | undefined {
  const buckets = bucketsOf(existing);
  const hour = hourOf(collectedAt);
  if (buckets.some((bucket) => bucket.hour === hour)) return undefined;
  const filled = updateTestsHistory(buckets, collectedAt, passed, failed);
  return filled.some((bucket) => bucket.hour === hour) ? filled : undefined;
}
