'use client';

import { Button, Flex, Stack } from '@chakra-ui/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import type { EventFilters } from '@/lib/data/events';
import { describeError } from '@/lib/text/error-message';
import { useEventsFeed } from '@/lib/hooks/use-events';
import { dashboardLinks, isEventKind } from '@vigil/schema/constants';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { EventCard } from './event-card';
import { EventsFilters } from './events-filters';

function filtersFrom(params: URLSearchParams): EventFilters {
  const kind = params.get('kind');
  return {
    ...(isEventKind(kind) ? { kind } : {}),
    ...(params.get('agent') ? { agentId: params.get('agent')! } : {}),
    ...(params.get('solution') ? { solutionId: params.get('solution')! } : {}),
  };
}

export function EventsScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const router = useRouter();
  const params = useSearchParams();
  const filters = useMemo(() => filtersFrom(new URLSearchParams(params.toString())), [params]);
  const feed = useEventsFeed(ws, filters);
  const events = feed.data?.flatMap((page) => page.events);
  const hasMore = Boolean(feed.data?.at(-1)?.next);

  function changeFilters(next: EventFilters) {
    // The filters live in the URL, so a filtered feed can be linked to (emails do).
    router.replace(dashboardLinks.events(ws, { kind: next.kind, agent: next.agentId, solution: next.solutionId }));
  }

  function markAcknowledged(eventId: string) {
    void feed.mutate(
      (pages) =>
        pages?.map((page) => ({
          ...page,
          events: page.events.map((event) => (event.id === eventId ? { ...event, acknowledgedAt: new Date(), acknowledgedBy: session.uid } : event)),
        })),
      { revalidate: false },
    );
  }

  return (
    <Stack gap="6">
      <PageHeader eyebrow={session.workspace.name} title="Events" description="What changed on your servers, newest first." />
      <EventsFilters workspaceId={ws} filters={filters} onChange={changeFilters} />
      {feed.error ? (
        <ErrorAlert
          title="Could not load the events"
          message={describeError(feed.error)}
          onRetry={() => void feed.mutate()}
          retrying={feed.isValidating}
        />
      ) : !events ? (
        <LoadingState label="Loading events…" />
      ) : events.length === 0 ? (
        <EmptyPanel
          title={filters.kind || filters.agentId || filters.solutionId ? 'No event matches these filters' : 'No events yet'}
          description="Failing tests, recoveries, configuration changes and silent agents appear here."
        />
      ) : (
        <Stack as="ol" gap="3" listStyleType="none" data-testid="events-feed">
          {events.map((event) => (
            <EventCard key={event.id} workspaceId={ws} event={event} onAcknowledged={markAcknowledged} />
          ))}
        </Stack>
      )}
      {hasMore && (
        <Flex justify="center">
          <Button variant="outline" onClick={() => void feed.setSize(feed.size + 1)} loading={feed.isValidating}>
            Load older events
          </Button>
        </Flex>
      )}
    </Stack>
  );
}
