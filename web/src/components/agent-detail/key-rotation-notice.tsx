'use client';

import { Alert } from '@chakra-ui/react';
import { rotationPendingText } from '@/lib/domain/key-rotation-state';
import type { AgentView } from '@/lib/model/agent';
import { formatDateTime } from '@/lib/text/format';
import { useNow } from '../ui/use-now';

/**
 * A lasting "rotation pending" notice while the agent rotates its key itself (asked from the
 * dashboard or by the workspace's automatic rotation): where it stands, from keyRotation and
 * pendingKeyId on the agent document this page listens to, so it moves as the agent fetches and
 * reports, and goes once the new key is promoted.
 */
export function KeyRotationNotice({ agent }: { agent: Pick<AgentView, 'keyRotation' | 'revokedAt'> }) {
  const now = useNow();
  if (!agent.keyRotation || agent.revokedAt) return null;
  return (
    <Alert.Root status="info" role="status" data-testid="rotation-pending">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>Key rotation pending</Alert.Title>
        <Alert.Description>{rotationPendingText(agent.keyRotation, now.getTime(), formatDateTime)}</Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
