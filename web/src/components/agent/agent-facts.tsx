import { DataList, Text } from '@chakra-ui/react';
import { formatInterval } from '@/lib/format';
import type { AgentView } from '@/lib/model/agent';
import { RelativeTime } from '../ui/relative-time';
import { AgentStatusBadge } from '../ui/status-badge';

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel minW="36">{label}</DataList.ItemLabel>
      <DataList.ItemValue wordBreak="break-word" minW="0">
        {children}
      </DataList.ItemValue>
    </DataList.Item>
  );
}

/** What the agent said about its host, and what Vigil knows about the agent. */
export function AgentFacts({ agent }: { agent: AgentView }) {
  const host = agent.host;
  return (
    <DataList.Root orientation="horizontal" size="sm" data-testid="agent-facts">
      <Item label="Status">
        <AgentStatusBadge agent={agent} />
      </Item>
      <Item label="Last seen">
        <RelativeTime date={agent.lastSeenAt} />
      </Item>
      <Item label="Hostname">
        <Text as="span" data-testid="agent-hostname">
          {host?.hostname ?? '—'}
        </Text>
      </Item>
      <Item label="Operating system">{host?.os ?? '—'}</Item>
      <Item label="Kernel">{host?.kernel ?? '—'}</Item>
      <Item label="Architecture">{host?.arch ?? '—'}</Item>
      <Item label="Agent version">{agent.agentVersion ?? '—'}</Item>
      <Item label="Reporting interval">{formatInterval(agent.intervalSeconds)}</Item>
      <Item label="Key">
        <Text as="span" fontFamily="mono" textStyle="sm">
          {agent.keyPrefix ?? '—'}
        </Text>
      </Item>
      <Item label="Created">
        <RelativeTime date={agent.createdAt} fallback="—" />
      </Item>
    </DataList.Root>
  );
}
