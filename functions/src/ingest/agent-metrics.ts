// The metrics the agent document keeps (agentSchema `metrics`, `metricsHistory`): the newest live
// report's, at most METRICS_KEPT_PER_SOLUTION per solution, and the last value of each hour, newest
// last, at most HISTORY_POINTS hours. The charts read them from the agent document, which ingest
// writes for every report anyway, so an unchanged report need not be stored for its metrics.
// Pure; agent-document-budget.ts keeps the whole document within its byte budget.
import { HISTORY_POINTS, METRICS_KEPT_PER_SOLUTION, type Report } from '@vigil/schema';
import { hourOf } from './tests-history.js';

export type SolutionMetrics = Record<string, Record<string, number>>;

export interface MetricsHour {
  hour: string;
  solutions: SolutionMetrics;
}

/** The report's metrics per solution, the first METRICS_KEPT_PER_SOLUTION of each in the order sent (as state-history.ts keeps them). */
export function latestMetrics(report: Pick<Report, 'solutions'>): SolutionMetrics {
  return Object.fromEntries(
    report.solutions.map((solution) => [solution.id, Object.fromEntries(Object.entries(solution.metrics).slice(0, METRICS_KEPT_PER_SOLUTION))]),
  );
}

function isMetricsHour(value: unknown): value is MetricsHour {
  const hour = value as MetricsHour | null;
  return typeof hour?.hour === 'string' && typeof hour.solutions === 'object' && hour.solutions !== null && !Array.isArray(hour.solutions);
}

function hoursOf(existing: unknown): MetricsHour[] {
  return Array.isArray(existing) ? existing.filter(isMetricsHour) : [];
}

/** A live report sets its hour's point (the latest report of each hour wins); hours stay in order. */
export function updateMetricsHistory(existing: unknown, collectedAt: string, metrics: SolutionMetrics): MetricsHour[] {
  const hour = hourOf(collectedAt);
  const others = hoursOf(existing).filter((point) => point.hour !== hour);
  return [...others, { hour, solutions: metrics }].sort((a, b) => a.hour.localeCompare(b.hour)).slice(-HISTORY_POINTS);
}

/** A backfill report only fills an hour without a point (the outage's hours). Undefined when nothing would change. */
export function fillMetricsHistoryGap(existing: unknown, collectedAt: string, metrics: SolutionMetrics): MetricsHour[] | undefined {
  const hours = hoursOf(existing);
  const hour = hourOf(collectedAt);
  if (hours.some((point) => point.hour === hour)) return undefined;
  const filled = updateMetricsHistory(hours, collectedAt, metrics);
  return filled.some((point) => point.hour === hour) ? filled : undefined;
}
