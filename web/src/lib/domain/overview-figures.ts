// The overview's figures from the fleet summary (lib/model/fleet-summary.ts). Pure.
//
// The counts and the attention list come ready from the summarizeFleets schedule
// (functions/src/summary/, which also decides who counts as what); what is left here is the chart.
import type { HourBucket } from '../model/agent';

const HOUR_MS = 3600_000;

const hourStart = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * Tests passing and failing across the fleet, one bucket per hour for the last `hours` hours up to
 * the hour of `now`. The schedule stores a point only for an hour in which the figures changed, so
 * an hour without one carries the last point before it forward (nothing changed in it). Hours
 * before the first point are left out rather than drawn as zero, which would read as every test
 * failing. A point in the hour after now's (a browser clock a little behind the server's) ends the
 * series; later ones are ignored.
 */
export function hourlyFleetTests(points: readonly HourBucket[], now: Date, hours = 48): HourBucket[] {
  const known = points
    .map((point) => ({ time: hourStart(Date.parse(point.hour)), passed: point.passed, failed: point.failed }))
    .filter((point) => Number.isFinite(point.time) && point.time <= hourStart(now.getTime()) + HOUR_MS)
    .sort((a, b) => a.time - b.time);
  const first = known[0];
  const last = known.at(-1);
  if (!first || !last) return [];
  const end = Math.max(hourStart(now.getTime()), last.time);
  const start = Math.max(first.time, end - (hours - 1) * HOUR_MS);
  const buckets: HourBucket[] = [];
  let next = 0;
  let current = first;
  for (let time = start; time <= end; time += HOUR_MS) {
    while (next < known.length && known[next]!.time <= time) current = known[next++]!;
    buckets.push({ hour: new Date(time).toISOString(), passed: current.passed, failed: current.failed });
  }
  return buckets;
}

/**
 * The open-events count stops here (data/events.ts countOpenEvents): a count aggregation bills one
 * read per 1,000 index entries, so a load stays one read for it however large the backlog.
 */
export const OPEN_EVENTS_COUNTED = 1000;

/** The open-events figure: the count, or "1000+" when it reached the cap. */
export function openEventsLabel(count: number): string {
  return count >= OPEN_EVENTS_COUNTED ? `${OPEN_EVENTS_COUNTED}+` : String(count);
}
