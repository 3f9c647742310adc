import { DataList, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { formatDateTime, formatInterval, plural } from '@/lib/format';
import type { AgentHealthView } from '@/lib/model/agent';
import { EmptyPanel } from '../ui/empty-panel';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel minW="36">{label}</DataList.ItemLabel>
      <DataList.ItemValue wordBreak="break-word" minW="0">
        {children}
      </DataList.ItemValue>
    </DataList.Item>
  );
}

/** The agent process itself: how long it runs, what its plugins did, its backlog, its crashes. */
export function AgentHealth({ health }: { health: AgentHealthView | null }) {
  if (!health) {
    return <EmptyPanel title="No health data" description="The agent does not send it (send_agent_health: false), or it is older than that option." />;
  }
  const slow = [...health.plugins].sort((a, b) => b.durationMs - a.durationMs)[0];
  return (
    <DataList.Root orientation="horizontal" size="sm" data-testid="agent-health">
      <Item label="Running for">{formatInterval(Math.max(0, Math.round(health.uptimeSeconds)))}</Item>
      <Item label="Plugin errors">
        <Text as="span" color={health.pluginErrors ? 'red.fg' : undefined}>
          {health.pluginErrors}
        </Text>
      </Item>
      {slow && (
        <Item label="Slowest plugin">
          {slow.id} ({(slow.durationMs / 1000).toFixed(1)} s)
        </Item>
      )}
      <Item label="Waiting to send">
        {health.spool ? `${plural(health.spool.reports, 'report')}${health.spool.dropped ? `; ${health.spool.dropped} dropped` : ''}` : '—'}
      </Item>
      <Item label="Crashes">
        {health.lastCrash ? (
          <>
            {plural(Math.max(1, health.crashes), 'crash', 'crashes')}; the newest at {formatDateTime(new Date(health.lastCrash.at))} (version{' '}
            {health.lastCrash.version}): <Text as="span" fontFamily="mono">{health.lastCrash.message}</Text>
          </>
        ) : (
          'none'
        )}
      </Item>
    </DataList.Root>
  );
}
