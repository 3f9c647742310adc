import { Stack, Table, Text } from '@chakra-ui/react';
import type { HistoryPoint } from '@vigil/schema';
import { formatDateTime, plural } from '@/lib/text/format';
import { StackedBars } from '../charts/stacked-bars';
import { EmptyPanel } from '../ui/empty-panel';

const LISTED = 8;

/**
 * The agent's recorded reports (state/current's history): ingest records a report when what it
 * found changed, while a test keeps failing up to the alert threshold, and once a day; the reports
 * in between only refresh the agent's status and metrics. A bar per recorded report, then the
 * newest listed with their times.
 */
export function ReportTimeline({ points }: { points: HistoryPoint[] }) {
  if (points.length === 0) return <EmptyPanel title="No reports yet" description="Reports appear here once the agent has sent its first one." />;
  const first = points[0]!;
  const last = points.at(-1)!;
  const description =
    `${plural(points.length, 'recorded report')} from ${formatDateTime(new Date(first.collectedAt))} to ${formatDateTime(new Date(last.collectedAt))}; ` +
    `the latest had ${last.passed} tests passing and ${last.failed} failing.`;
  const newest = points.slice(-LISTED).reverse();
  return (
    <Stack gap="4">
      <StackedBars points={points.map((point) => ({ key: point.reportId, passed: point.passed, failed: point.failed }))} description={description} />
      <Text textStyle="xs" color="fg.muted">
        A report is recorded when what it found changed, while a test keeps failing, and once a day; the reports in between only refresh the
        agent&apos;s status and metrics.
      </Text>
      <Text textStyle="xs" color="fg.muted" aria-hidden="true">
        {plural(points.length, 'recorded report')}, newest on the right: {formatDateTime(new Date(first.collectedAt))} to{' '}
        {formatDateTime(new Date(last.collectedAt))}. Green: tests passing; red: failing.
      </Text>
      <Table.ScrollArea>
        <Table.Root size="sm" data-testid="report-timeline">
          <Table.Caption captionSide="top" textAlign="start" color="fg.muted" mt="0" mb="2">
            The {plural(newest.length, 'newest recorded report')}
          </Table.Caption>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Recorded report collected</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Passing</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Failing</Table.ColumnHeader>
              <Table.ColumnHeader textAlign="end">Solutions</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {newest.map((point) => (
              <Table.Row key={point.reportId}>
                <Table.Cell whiteSpace="nowrap">{formatDateTime(new Date(point.collectedAt))}</Table.Cell>
                <Table.Cell textAlign="end">{point.passed}</Table.Cell>
                <Table.Cell textAlign="end">
                  <Text as="span" color={point.failed ? 'red.fg' : undefined}>
                    {point.failed}
                  </Text>
                </Table.Cell>
                <Table.Cell textAlign="end">{Object.keys(point.solutions).length}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      </Table.ScrollArea>
    </Stack>
  );
}
