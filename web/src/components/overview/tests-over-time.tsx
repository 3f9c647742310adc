'use client';

import { useMemo } from 'react';
import type { HourBucket } from '@/lib/model/agent';
import { hourlyFleetTests } from '@/lib/domain/overview-figures';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { EmptyPanel } from '../ui/empty-panel';
import { useNow } from '../ui/use-now';

/** Tests passing and failing across the fleet, hour by hour, from the fleet summary's points. */
export function TestsOverTime({ hours }: { hours: HourBucket[] }) {
  const now = useNow(300_000);
  const buckets = useMemo(() => hourlyFleetTests(hours, now), [hours, now]);
  if (buckets.length === 0) {
    return <EmptyPanel title="No test results yet" description="The chart fills in as agents report." />;
  }
  const latest = buckets.at(-1)!;
  const first = buckets[0]!;
  const description =
    `Tests passing per hour over the last 48 hours: ${first.passed} at the start, ${latest.passed} in the latest hour; ` +
    `failing: ${first.failed} at the start, ${latest.failed} in the latest hour.`;
  return (
    <TimeSeriesChart
      description={description}
      formatValue={(value) => String(Math.round(value))}
      formatTimeLabel={(time) => new Date(time).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })}
      series={[
        {
          label: 'Passing',
          palette: 'green',
          area: true,
          points: buckets.map((bucket) => ({ time: Date.parse(bucket.hour), value: bucket.passed })),
        },
        { label: 'Failing', palette: 'red', points: buckets.map((bucket) => ({ time: Date.parse(bucket.hour), value: bucket.failed })) },
      ]}
    />
  );
}
