// Series for the solution page: tests' results from state/current's history (the recorded reports:
// each change, failure-streak step and daily checkpoint), metrics from the agent document's hourly
// metricsHistory (every report's metrics, the last of each hour). Pure.
import type { HistoryPoint } from '@vigil/schema';
import { ownValue } from '@vigil/schema/constants';
import type { MetricsHour } from '../model/agent';

/** One test's result in each recorded report, oldest first: null where the report did not run it. */
export function testSeries(points: readonly HistoryPoint[], solutionId: string, testId: string): (boolean | null)[] {
  return points.map((point) => ownValue(ownValue(point.solutions, solutionId)?.tests, testId) ?? null);
}

export interface MetricPoint {
  time: number;
  value: number;
}

/** Every metric of a solution found in the hourly history, each with one point an hour, oldest first. */
export function metricSeries(hours: readonly MetricsHour[], solutionId: string): Map<string, MetricPoint[]> {
  const series = new Map<string, MetricPoint[]>();
  for (const point of hours) {
    const metrics = ownValue(point.solutions, solutionId);
    if (!metrics) continue;
    const time = Date.parse(point.hour);
    for (const [key, value] of Object.entries(metrics)) {
      const list = series.get(key) ?? [];
      list.push({ time, value });
      series.set(key, list);
    }
  }
  return series;
}

/** Whether an acknowledgement still applies: it names the failure streak that is current now. */
export function ackApplies(ack: { failingSince: string } | undefined, since: string | undefined): boolean {
  return ack !== undefined && since !== undefined && ack.failingSince === since;
}
