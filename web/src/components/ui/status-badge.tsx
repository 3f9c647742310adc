import { Badge } from '@chakra-ui/react';
import type { AgentView } from '@/lib/model/agent';
import type { Health } from '@/lib/domain/solution-health';

const STATUS = {
  online: { label: 'Online', palette: 'green' },
  offline: { label: 'Offline', palette: 'red' },
  'never-seen': { label: 'Never seen', palette: 'gray' },
} as const;

/** The agent's status in words (never color alone); a revoked key says so first. */
export function AgentStatusBadge({ agent }: { agent: Pick<AgentView, 'status' | 'revokedAt'> }) {
  if (agent.revokedAt) {
    return (
      <Badge colorPalette="orange" variant="surface">
        Revoked
      </Badge>
    );
  }
  const { label, palette } = STATUS[agent.status];
  return (
    <Badge colorPalette={palette} variant="surface">
      {label}
    </Badge>
  );
}

const HEALTH = {
  healthy: { label: 'Healthy', palette: 'green' },
  failing: { label: 'Failing', palette: 'red' },
  errors: { label: 'Probe errors', palette: 'orange' },
  'no-tests': { label: 'No tests', palette: 'gray' },
} as const;

export function HealthBadge({ health }: { health: Health }) {
  const { label, palette } = HEALTH[health];
  return (
    <Badge colorPalette={palette} variant="surface">
      {label}
    </Badge>
  );
}

export function PassFailBadge({ passed }: { passed: boolean }) {
  return (
    <Badge colorPalette={passed ? 'green' : 'red'} variant="surface">
      {passed ? 'Passing' : 'Failing'}
    </Badge>
  );
}
