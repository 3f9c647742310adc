// Series for the solution page, from the history points in state/current. Pure.
import type { HistoryPoint } from '@vigil/schema';
import { ownValue } from '@vigil/schema/constants';

/** One test's result in each report, oldest first: null where the report did not run it. */
export function testSeries(points: readonly HistoryPoint[], solutionId: string, testId: string): (boolean | null)[] {
  return points.map((point) => ownValue(ownValue(point.solutions, solutionId)?.tests, testId) ?? null);
}

export interface MetricPoint {
  time: number;
  value: number;
}

/** Every metric of a solution found in the history, each with its points, oldest first. */
export function metricSeries(points: readonly HistoryPoint[], solutionId: string): Map<string, MetricPoint[]> {
  const series = new Map<string, MetricPoint[]>();
  for (const point of points) {
    const metrics = ownValue(point.solutions, solutionId)?.metrics;
    if (!metrics) continue;
    const time = Date.parse(point.collectedAt);
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
