'use client';

import { Button, Flex, Stack } from '@chakra-ui/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { eventFilterParams, eventFiltersFrom, eventFiltersProblem, isEventsFiltered, type EventFilters } from '@/lib/domain/event-filters';
import { describeError } from '@/lib/text/error-message';
import { useEventsFeed } from '@/lib/hooks/use-events';
import { dashboardLinks } from '@vigil/schema/constants';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { EventCard } from './event-card';
import { EventsFilters } from './events-filters';

export function EventsScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const router = useRouter();
  const params = useSearchParams();
  const filters = useMemo(() => eventFiltersFrom(new URLSearchParams(params.toString())), [params]);
  // Filters the server cannot be asked (a bad label, a label with a solution): the page says why and reads nothing.
  const problem = eventFiltersProblem(filters);
  const feed = useEventsFeed(problem === null ? ws : null, filters);
  const events = feed.data?.flatMap((page) => page.events);
  const hasMore = Boolean(feed.data?.at(-1)?.next);

  function changeFilters(next: EventFilters) {
    // The filters live in the URL, so a filtered feed can be linked to (emails do).
    router.replace(dashboardLinks.events(ws, eventFilterParams(next)));
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
      {problem ? (
        <EmptyPanel title="These filters cannot be used" description={problem} />
      ) : feed.error ? (
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
          title={isEventsFiltered(filters) ? 'No event matches these filters' : 'No events yet'}
          description="Failing tests, recoveries, configuration changes and silent agents appear here."
        />
      ) : (
        <Stack as="ol" gap="3" listStyleType="none" data-testid="events-feed">
          {events.map((event) => (
            <EventCard key={event.id} workspaceId={ws} event={event} onAcknowledged={markAcknowledged} />
          ))}
        </Stack>
      )}
      {hasMore && !problem && (
        <Flex justify="center">
          <Button variant="outline" onClick={() => void feed.setSize(feed.size + 1)} loading={feed.isValidating}>
            Load older events
          </Button>
        </Flex>
      )}
    </Stack>
  );
}
