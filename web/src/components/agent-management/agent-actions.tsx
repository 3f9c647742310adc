'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import type { RotateAgentKeyResult } from '@vigil/schema';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useDeleteAgent, useRequestKeyRotation, useRevokeAgent, useRotateAgentKey } from '@/lib/hooks/use-agent-writes';
import type { AgentView } from '@/lib/model/agent';
import { dashboardLinks } from '@vigil/schema/constants';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { KeyDialog } from './key-dialog';

type Action = 'ask-rotation' | 'rotate' | 'revoke' | 'delete';

/** Rotate, revoke, delete: each asks first. For owners and admins only (the caller checks). */
export function AgentActions({ workspaceId, agent, afterDelete }: { workspaceId: string; agent: AgentView; afterDelete?: 'agents' }) {
  const router = useRouter();
  const rotateAgentKey = useRotateAgentKey();
  const requestKeyRotation = useRequestKeyRotation();
  const [rotationRequested, setRotationRequested] = useState(false);
  const revokeAgent = useRevokeAgent();
  const deleteAgent = useDeleteAgent();
  const [asking, setAsking] = useState<Action | null>(null);
  const [rotated, setRotated] = useState<RotateAgentKeyResult | null>(null);
  const ref = { workspaceId, agentId: agent.id };

  const dialog = (action: Action) => ({ open: asking === action, onOpenChange: (open: boolean) => setAsking(open ? action : null) });

  return (
    <>
      <HStack gap="2" wrap="wrap">
        {!agent.revokedAt && (
          <Button size="xs" variant="outline" onClick={() => setAsking('ask-rotation')} aria-label={`Ask to rotate the key of ${agent.name}`}>
            Ask to rotate
          </Button>
        )}
        <Button size="xs" variant="outline" onClick={() => setAsking('rotate')} aria-label={`Rotate key of ${agent.name}`}>
          Rotate key
        </Button>
        {!agent.revokedAt && (
          <Button size="xs" variant="outline" colorPalette="orange" onClick={() => setAsking('revoke')} aria-label={`Revoke ${agent.name}`}>
            Revoke
          </Button>
        )}
        <Button size="xs" variant="outline" colorPalette="red" onClick={() => setAsking('delete')} aria-label={`Delete ${agent.name}`}>
          Delete
        </Button>
      </HStack>
      {rotationRequested && (
        <Text fontSize="sm" role="status">
          Rotation requested; the agent switches at its next report.
        </Text>
      )}
      <ConfirmDialog
        {...dialog('ask-rotation')}
        title={`Ask ${agent.name} to rotate its key?`}
        confirmLabel="Ask to rotate"
        onConfirm={async () => {
          await requestKeyRotation(ref);
          setRotationRequested(true);
        }}
      >
        <Text>
          The agent fetches a new key with its next report and switches to it; its current key works until then. Nobody sees the new key. For a lost
          or leaked key, use Rotate key: it stops the current key at once.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        {...dialog('rotate')}
        title={`Rotate the key of ${agent.name}?`}
        confirmLabel="Rotate key"
        onConfirm={async () => setRotated(await rotateAgentKey(ref))}
      >
        <Text>
          The current key stops working at once. Install the agent again with the new key, or put it in /etc/vigil/agent.yaml.
          {agent.revokedAt ? ' This also ends the revocation.' : ''}
        </Text>
      </ConfirmDialog>
      <ConfirmDialog {...dialog('revoke')} title={`Revoke ${agent.name}?`} confirmLabel="Revoke" destructive onConfirm={() => revokeAgent(ref)}>
        <Text>Its key stops working: the next report is refused. The agent and its history stay; rotating the key brings it back.</Text>
      </ConfirmDialog>
      <ConfirmDialog
        {...dialog('delete')}
        title={`Delete ${agent.name}?`}
        confirmLabel="Delete"
        destructive
        onConfirm={async () => {
          await deleteAgent(ref);
          if (afterDelete) router.push(dashboardLinks.agents(workspaceId));
        }}
      >
        <Text>This deletes the agent, its key, its state, its report history and its events. It cannot be undone.</Text>
      </ConfirmDialog>
      <KeyDialog result={rotated} title={`New key for ${agent.name}`} onClose={() => setRotated(null)} />
    </>
  );
}
