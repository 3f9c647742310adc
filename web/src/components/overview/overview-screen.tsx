'use client';

import { Button, Grid, Stack } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useMemo } from 'react';
import { describeError } from '@/lib/text/error-message';
import { useAgents } from '@/lib/hooks/use-agents';
import { useLatestEvents, useOpenEventCount } from '@/lib/hooks/use-events';
import { agentsNeedingAttention, overviewCounts } from '@/lib/domain/overview-figures';
import { dashboardLinks } from '@vigil/schema/constants';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { Section } from '../ui/section';
import { AttentionList } from './attention-list';
import { LatestEvents } from './latest-events';
import { OverviewStats } from './overview-stats';
import { TestsOverTime } from './tests-over-time';

const LATEST_EVENTS = 10;

/**
 * The overview's listeners, started as soon as the workspace is known: the same SWR keys as the
 * screen's, so the screen finds them running (one listener each, no second read).
 */
export function OverviewWarmup({ workspaceId }: { workspaceId: string }) {
  useAgents(workspaceId);
  useLatestEvents(workspaceId, LATEST_EVENTS);
  return null;
}

export function OverviewScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const agents = useAgents(ws);
  const events = useLatestEvents(ws, LATEST_EVENTS);
  // Recount open events whenever the newest events change (a new one, or one acknowledged).
  const eventsVersion = events.data?.map((event) => `${event.id}:${event.acknowledgedAt ? 1 : 0}`).join(',');
  const openEvents = useOpenEventCount(ws, eventsVersion);
  const counts = useMemo(() => (agents.data ? overviewCounts(agents.data) : undefined), [agents.data]);
  const attention = useMemo(() => (agents.data ? agentsNeedingAttention(agents.data, 5) : []), [agents.data]);

  return (
    <Stack gap="6">
      <PageHeader eyebrow="Overview" title={session.workspace.name} titleTestId="workspace-name" />
      {agents.error ? (
        <ErrorAlert title="Could not load the agents" message={describeError(agents.error)} />
      ) : !agents.data || !counts ? (
        <LoadingState label="Loading the agents…" />
      ) : agents.data.length === 0 ? (
        <EmptyPanel
          title="No agents yet"
          description="Create an agent, then run its install command on a server to see its security tools here."
          action={
            <Button asChild size="sm" colorPalette="blue">
              <NextLink href={dashboardLinks.agents(ws)}>Go to agents</NextLink>
            </Button>
          }
        />
      ) : (
        <>
          <OverviewStats counts={counts} openEvents={openEvents.error ? null : openEvents.data} />
          <Grid templateColumns={{ base: '1fr', lg: '3fr 2fr' }} gap="6">
            <Section title="Tests over the last 48 hours">
              <TestsOverTime agents={agents.data} />
            </Section>
            <Section title="Needs attention">
              <AttentionList workspaceId={ws} agents={attention} />
            </Section>
          </Grid>
        </>
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
