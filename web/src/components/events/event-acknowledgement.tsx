'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { describeError } from '@/lib/text/error-message';
import { useAcknowledgeEvent } from '@/lib/hooks/use-events';
import { useMemberEmail } from '@/lib/hooks/use-member-email';
import type { EventView } from '@/lib/model/event';
import { useSession } from '../session-gate/session-context';
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
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (event.acknowledgedAt || event.acknowledgedBy) return <AcknowledgedBy event={event} />;
  if (!session.canManage)
    return (
      <Text textStyle="sm" color="fg.muted">
        Not acknowledged
      </Text>
    );

  async function acknowledge() {
    setPending(true);
    setError(null);
    try {
      await acknowledgeEvent(session.workspaceId, event.id, session.uid);
      onAcknowledged(event.id);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <HStack gap="3" wrap="wrap">
      <Button size="xs" variant="outline" onClick={() => void acknowledge()} loading={pending}>
        Acknowledge
      </Button>
      {error && (
        <Text textStyle="sm" color="red.fg" role="alert">
          {error}
        </Text>
      )}
    </HStack>
  );
}
