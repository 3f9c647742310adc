'use client';

import { Box, SimpleGrid, Text } from '@chakra-ui/react';
import { useMemo } from 'react';
import type { MetricsHour } from '@/lib/model/agent';
import { formatMetric } from '@/lib/text/format';
import { ownValue } from '@vigil/schema/constants';
import { metricSeries } from '@/lib/domain/test-series';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { EmptyPanel } from '../ui/empty-panel';

const MAX_CHARTS = 12;

/**
 * One small chart per metric, a point an hour (the agent document's metricsHistory: every report's
 * metrics, not only the recorded reports); the newest report's value as the headline.
 */
export function MetricsCharts({ solutionId, metrics, history }: { solutionId: string; metrics: Record<string, number>; history: MetricsHour[] }) {
  const series = useMemo(() => metricSeries(history, solutionId), [history, solutionId]);
  const keys = [...new Set([...Object.keys(metrics), ...series.keys()])].sort().slice(0, MAX_CHARTS);
  if (keys.length === 0) return <EmptyPanel title="No metrics yet" description="Metrics show here once a report from this agent carries them." />;
  return (
    <SimpleGrid columns={{ base: 1, md: 2, xl: 3 }} gap="5" data-testid="metrics-charts">
      {keys.map((key) => {
        const points = series.get(key) ?? [];
        const current = ownValue(metrics, key);
        return (
          <Box key={key} minW="0">
            <Text as="h3" fontFamily="mono" textStyle="sm" wordBreak="break-all">
              {key}
            </Text>
            <Text textStyle="xl" fontWeight="semibold" mb="2">
              {current === undefined ? '—' : formatMetric(current)}
            </Text>
            {points.length > 0 ? (
              <TimeSeriesChart
                height={80}
                includeZero={false}
                description={`${key} over the last ${points.length === 1 ? 'hour' : `${points.length} hours`}: from ${formatMetric(points[0]!.value)} to ${formatMetric(points.at(-1)!.value)}.`}
                series={[{ label: key, palette: 'blue', points }]}
              />
            ) : (
              <Text textStyle="xs" color="fg.muted">
                No history yet.
              </Text>
            )}
          </Box>
        );
      })}
    </SimpleGrid>
  );
}
