'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { useWriteState } from '../ui/use-write-state';
import { useAcknowledgeEvent } from '@/lib/hooks/use-events';
import { useMemberEmail } from '@/lib/hooks/use-member-email';
import type { EventView } from '@/lib/model/event';
import { useSession } from '../session-gate/session-context';
import { InlineError } from '../ui/inline-error';
import { RelativeTime } from '../ui/relative-time';

function AcknowledgedBy({ event }: { event: EventView }) {
  const session = useSession();
  const self = event.acknowledgedBy === session.uid;
  const email = useMemberEmail(session.workspaceId, self ? null : event.acknowledgedBy);
  return (
    <Text textStyle="sm" color="fg.muted" data-testid="acknowledged-by">
      Acknowledged by {self ? 'you' : (email.data ?? 'a former member')} <RelativeTime date={event.acknowledgedAt} fallback="just now" />
    </Text>
  );
}

/** Who acknowledged the event, or the button to do it (owners and admins). */
export function EventAcknowledgement({ event, onAcknowledged }: { event: EventView; onAcknowledged: (eventId: string) => void }) {
  const session = useSession();
  const acknowledgeEvent = useAcknowledgeEvent();
  const { pending, error, run } = useWriteState();

  if (event.acknowledgedAt || event.acknowledgedBy) return <AcknowledgedBy event={event} />;
  if (!session.canManage)
    return (
      <Text textStyle="sm" color="fg.muted">
        Not acknowledged
      </Text>
    );

  async function acknowledge() {
    await run(async () => {
      await acknowledgeEvent(session.workspaceId, event.id, session.uid);
      onAcknowledged(event.id);
    });
  }

  return (
    <HStack gap="3" wrap="wrap">
      <Button size="xs" variant="outline" onClick={() => void acknowledge()} loading={pending}>
        Acknowledge
      </Button>
      <InlineError message={error} />
    </HStack>
  );
}
