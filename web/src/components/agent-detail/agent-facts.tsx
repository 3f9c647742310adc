import { DataList, Text } from '@chakra-ui/react';
import { formatInterval } from '@/lib/text/format';
import type { AgentView } from '@/lib/model/agent';
import { FactItem } from '../ui/fact-item';
import { RelativeTime } from '../ui/relative-time';
import { AgentStatusBadge } from '../ui/status-badge';
import { AgentLabelsFact } from '../agent-labels/agent-labels-fact';

/** What the agent said about its host, and what Vigil knows about the agent. */
export function AgentFacts({ agent }: { agent: AgentView }) {
  const host = agent.host;
  return (
    <DataList.Root orientation="horizontal" size="sm" data-testid="agent-facts">
      <FactItem label="Status">
        <AgentStatusBadge agent={agent} />
      </FactItem>
      <FactItem label="Last seen">
        <RelativeTime date={agent.lastSeenAt} />
      </FactItem>
      <FactItem label="Labels">
        <AgentLabelsFact agent={agent} />
      </FactItem>
      <FactItem label="Hostname">
        <Text as="span" data-testid="agent-hostname">
          {host?.hostname ?? '—'}
        </Text>
      </FactItem>
      <FactItem label="Operating system">{host?.os ?? '—'}</FactItem>
      <FactItem label="Kernel">{host?.kernel ?? '—'}</FactItem>
      <FactItem label="Architecture">{host?.arch ?? '—'}</FactItem>
      <FactItem label="Reporting interval">{formatInterval(agent.intervalSeconds)}</FactItem>
      <FactItem label="Key">
        <Text as="span" fontFamily="mono" textStyle="sm">
          {agent.keyPrefix ?? '—'}
        </Text>
      </FactItem>
      <FactItem label="Created">
        <RelativeTime date={agent.createdAt} fallback="—" />
      </FactItem>
    </DataList.Root>
  );
}
