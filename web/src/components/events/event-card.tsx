import { Card, Flex, Stack, Text } from '@chakra-ui/react';
import type { EventView } from '@/lib/model/event';
import { dashboardLinks } from '@vigil/schema/constants';
import { LabelChips } from '../agent-labels/label-chips';
import { AppLink } from '../ui/app-link';
import { RelativeTime } from '../ui/relative-time';
import { EventAcknowledgement } from './event-acknowledgement';
import { EventDetails } from './event-details';
import { EventKindBadge } from './event-kind-badge';

export function EventCard({ workspaceId, event, onAcknowledged }: { workspaceId: string; event: EventView; onAcknowledged: (id: string) => void }) {
  return (
    <Card.Root
      as="li"
      size="sm"
      data-testid="event-card"
      data-kind={event.kind}
      data-acknowledged={event.acknowledgedAt !== null || event.acknowledgedBy !== null}
    >
      <Card.Body>
        <Stack gap="3">
          <Flex justify="space-between" gap="3" wrap="wrap" align="center">
            <Flex gap="2" align="center" wrap="wrap" minW="0">
              <EventKindBadge kind={event.kind} />
              <AppLink href={dashboardLinks.agent(workspaceId, event.agentId)} fontWeight="semibold" wordBreak="break-word">
                {event.agentName}
              </AppLink>
              {event.hostname && (
                <Text as="span" textStyle="sm" color="fg.muted" wordBreak="break-all">
                  {event.hostname}
                </Text>
              )}
            </Flex>
            <Text textStyle="sm" color="fg.muted">
              <RelativeTime date={event.createdAt} fallback="just now" />
            </Text>
          </Flex>
          {/* The labels the agent had when it happened: rendered as text, whatever they hold. */}
          <LabelChips labels={event.labels} testId="event-labels" />
          <EventDetails workspaceId={workspaceId} event={event} />
          <EventAcknowledgement event={event} onAcknowledged={onAcknowledged} />
        </Stack>
      </Card.Body>
    </Card.Root>
  );
}
