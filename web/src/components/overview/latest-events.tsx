'use client';

import { Badge, Flex, Stack, Text } from '@chakra-ui/react';
import { eventSummary } from '@/lib/text/event-text';
import type { EventView } from '@/lib/model/event';
import { dashboardLinks } from '@vigil/schema/constants';
import { EventKindBadge } from '../events/event-kind-badge';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { RelativeTime } from '../ui/relative-time';

/** The newest events, one line each; the events page has the details. */
export function LatestEvents({ workspaceId, events }: { workspaceId: string; events: EventView[] }) {
  if (events.length === 0) {
    return <EmptyPanel title="No events yet" description="Failing tests, configuration changes and silent agents will show up here." />;
  }
  return (
    <Stack as="ul" gap="0" listStyleType="none" data-testid="latest-events">
      {events.map((event) => (
        <Stack as="li" key={event.id} gap="1" py="2.5" borderBottomWidth="1px" _last={{ borderBottomWidth: 0 }}>
          <Flex gap="2" align="center" wrap="wrap">
            <EventKindBadge kind={event.kind} />
            <Text textStyle="xs" color="fg.muted">
              <RelativeTime date={event.createdAt} fallback="just now" />
            </Text>
            {!event.acknowledgedAt && (
              <Badge variant="outline" colorPalette="gray">
                Open
              </Badge>
            )}
          </Flex>
          <Text textStyle="sm" wordBreak="break-word">
            <AppLink href={dashboardLinks.agent(workspaceId, event.agentId)} fontWeight="medium">
              {event.agentName}
            </AppLink>{' '}
            · {eventSummary(event)}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}
