'use client';

import { Button, Grid, Stack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import type { ReactNode } from 'react';
import { describeError } from '@/lib/text/error-message';
import { useFleetSummary, useHasAgents } from '@/lib/hooks/use-fleet-summary';
import { useLatestEvents, useOpenEventCount } from '@/lib/hooks/use-events';
import type { FleetSummaryView } from '@/lib/model/fleet-summary';
import { dashboardLinks } from '@vigil/schema/constants';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { RelativeTime } from '../ui/relative-time';
import { Section } from '../ui/section';
import { AttentionList } from './attention-list';
import { LatestEvents } from './latest-events';
import { OverviewStats } from './overview-stats';
import { TestsOverTime } from './tests-over-time';

/**
 * The newest events shown. With the summary, the open-events count and the session's own three
 * documents (profile, member, workspace), a load reads 5 + 5 = 10 documents whatever the fleet's size.
 */
const LATEST_EVENTS = 5;

/**
 * The overview's listeners, started as soon as the workspace is known: the same SWR keys as the
 * screen's, so the screen finds them running (one listener each, no second read).
 */
export function OverviewWarmup({ workspaceId }: { workspaceId: string }) {
  useFleetSummary(workspaceId);
  useLatestEvents(workspaceId, LATEST_EVENTS);
  return null;
}

export function OverviewScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const summary = useFleetSummary(ws);
  const events = useLatestEvents(ws, LATEST_EVENTS);
  // Recount open events whenever the newest events change (a new one, or one acknowledged).
  const eventsVersion = events.data?.map((event) => `${event.id}:${event.acknowledgedAt ? 1 : 0}`).join(',');
  const openEvents = useOpenEventCount(ws, eventsVersion);

  return (
    <Stack gap="6">
      <PageHeader eyebrow="Overview" title={session.workspace.name} titleTestId="workspace-name" />
      {summary.error ? (
        <ErrorAlert title="Could not load the overview" message={describeError(summary.error)} />
      ) : summary.data === undefined ? (
        <LoadingState label="Loading the overview…" />
      ) : summary.data === null || summary.data.counts.agents === 0 ? (
        <NoSummary workspaceId={ws} summarized={summary.data !== null} />
      ) : (
        <Fleet workspaceId={ws} summary={summary.data} openEvents={openEvents.error ? null : openEvents.data} />
      )}
      <Section
        title="Latest events"
        actions={
          <Button asChild size="xs" variant="outline">
            <NextLink href={dashboardLinks.events(ws)}>All events</NextLink>
          </Button>
        }
      >
        {events.error ? (
          <ErrorAlert title="Could not load the events" message={describeError(events.error)} />
        ) : !events.data ? (
          <LoadingState label="Loading events…" />
        ) : (
          <LatestEvents workspaceId={ws} events={events.data} />
        )}
      </Section>
    </Stack>
  );
}

function Fleet({ workspaceId, summary, openEvents }: { workspaceId: string; summary: FleetSummaryView; openEvents: number | null | undefined }) {
  return (
    <>
      <Stack gap="2">
        <OverviewStats counts={summary.counts} openEvents={openEvents} />
        {summary.computedAt && (
          <Text textStyle="xs" color="fg.muted" data-testid="summary-computed-at">
            Figures as of <RelativeTime date={summary.computedAt} />; recomputed within a minute of a change.
          </Text>
        )}
      </Stack>
      <Grid templateColumns={{ base: '1fr', lg: '3fr 2fr' }} gap="6">
        <Section title="Tests over the last 48 hours">
          <TestsOverTime hours={summary.hours} />
        </Section>
        <Section title="Needs attention">
          <AttentionList workspaceId={workspaceId} agents={summary.attention} />
        </Section>
      </Grid>
    </>
  );
}

/**
 * No figures to show: a workspace without agents, or one whose first summary the schedule has not
 * written yet (it runs every minute). Only then is the agents collection asked, for one document.
 */
function NoSummary({ workspaceId, summarized }: { workspaceId: string; summarized: boolean }) {
  const hasAgents = useHasAgents(workspaceId, !summarized);
  const goToAgents: ReactNode = (
    <Button asChild size="sm" colorPalette="blue">
      <NextLink href={dashboardLinks.agents(workspaceId)}>Go to agents</NextLink>
    </Button>
  );
  if (!summarized && hasAgents.error) return <ErrorAlert title="Could not load the agents" message={describeError(hasAgents.error)} />;
  if (!summarized && hasAgents.data === undefined) return <LoadingState label="Loading the overview…" />;
  if (!summarized && hasAgents.data) {
    return (
      <EmptyPanel
        title="Counting your agents"
        description="The overview's figures are computed every minute: they appear here as soon as the first count is done."
        action={goToAgents}
      />
    );
  }
  return (
    <EmptyPanel
      title="No agents yet"
      description="Create an agent, then run its install command on a server to see its security tools here."
      action={goToAgents}
    />
  );
}
