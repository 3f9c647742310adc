'use client';

import { Badge, HStack, VisuallyHidden } from '@chakra-ui/react';
import { SERVED_AGENT_VERSION } from '@/lib/config/served-agent-version';
import { updateMarkers, type UpdateMarkerKind } from '@/lib/domain/agent-update';
import { rotationMarkerLabel, rotationPendingText } from '@/lib/domain/key-rotation-state';
import type { AgentView } from '@/lib/model/agent';
import { formatDateTime } from '@/lib/text/format';
import { useNow } from '../ui/use-now';

const PALETTES: Record<UpdateMarkerKind, string> = { 'out-of-date': 'yellow', 'update-failed': 'red', 'rolled-back': 'orange' };

/**
 * The agents list's version cell: the version, then "Out of date" and "Update failed" / "Rolled
 * back" badges (words, never color alone), each with its sentence for screen readers and on hover.
 * The agent page's "Agent version" section says the same at length.
 */
export function AgentVersionCell({ agent }: { agent: Pick<AgentView, 'agentVersion' | 'update'> }) {
  const markers = SERVED_AGENT_VERSION ? updateMarkers(agent, SERVED_AGENT_VERSION) : [];
  return (
    <HStack gap="1.5" wrap="wrap">
      <span>{agent.agentVersion ?? '—'}</span>
      {markers.map((marker) => (
        <Badge
          key={marker.kind}
          colorPalette={PALETTES[marker.kind]}
          variant="surface"
          title={marker.description}
          data-testid="update-marker"
          data-kind={marker.kind}
        >
          {marker.label}
          <VisuallyHidden>: {marker.description}</VisuallyHidden>
        </Badge>
      ))}
    </HStack>
  );
}

/** A small marker under the status while the agent is rotating its key itself, with where it stands. */
export function KeyRotationMarker({ agent }: { agent: Pick<AgentView, 'keyRotation' | 'revokedAt'> }) {
  const now = useNow();
  if (!agent.keyRotation || agent.revokedAt) return null;
  const text = rotationPendingText(agent.keyRotation, now.getTime(), formatDateTime);
  return (
    <Badge colorPalette="blue" variant="outline" title={text} data-testid="rotation-marker">
      {rotationMarkerLabel(agent.keyRotation, now.getTime())}
      <VisuallyHidden>: {text}</VisuallyHidden>
    </Badge>
  );
}
