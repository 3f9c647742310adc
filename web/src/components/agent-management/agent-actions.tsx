'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import type { RotateAgentKeyResult } from '@vigil/schema';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useDeleteAgent, useRequestKeyRotation, useRevokeAgent, useRotateAgentKey } from '@/lib/hooks/use-agent-writes';
import type { AgentView } from '@/lib/model/agent';
import { dashboardLinks } from '@vigil/schema/constants';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { RotationDialog } from './rotation-dialog';

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
          The agent fetches a new key with its next report and switches to it; its current key works until then. Nobody sees the new key and nothing
          needs to run on the server. For a lost or leaked key, use Rotate key: it stops the current key at once, and the server needs a command to
          get a new one.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        {...dialog('rotate')}
        title={`Rotate the key of ${agent.name}?`}
        confirmLabel="Rotate key"
        onConfirm={async () => setRotated(await rotateAgentKey(ref))}
      >
        <Text>
          For a key that was lost or may have leaked. The current key stops working at once, and the agent&apos;s reports are refused until you run
          the command shown next on its server, within 24 h: it enrolls the server again with a new key.
          {agent.revokedAt
            ? ' This also ends the revocation.'
            : ' For a routine rotation, Ask to rotate lets the agent switch keys itself, with no downtime and nothing to run.'}
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
      <RotationDialog result={rotated} title={`Re-enroll ${agent.name} with a new key`} onClose={() => setRotated(null)} />
    </>
  );
}
