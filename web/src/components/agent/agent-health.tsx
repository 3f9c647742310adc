import { DataList, Text } from '@chakra-ui/react';
import { formatDateTime, formatInterval, plural } from '@/lib/format';
import type { AgentHealthView } from '@/lib/model/agent';
import { EmptyPanel } from '../ui/empty-panel';
import { FactItem } from '../ui/fact-item';

/** The agent process itself: how long it runs, what its plugins did, its backlog, its crashes. */
export function AgentHealth({ health }: { health: AgentHealthView | null }) {
  if (!health) {
    return <EmptyPanel title="No health data" description="The agent does not send it (send_agent_health: false), or it is older than that option." />;
  }
  const slow = health.plugins.reduce<(typeof health.plugins)[number] | undefined>((a, b) => (a && a.durationMs >= b.durationMs ? a : b), undefined);
  return (
    <DataList.Root orientation="horizontal" size="sm" data-testid="agent-health">
      <FactItem label="Running for">{formatInterval(Math.max(0, Math.round(health.uptimeSeconds)))}</FactItem>
      <FactItem label="Plugin errors">
        <Text as="span" color={health.pluginErrors ? 'red.fg' : undefined}>
          {health.pluginErrors}
        </Text>
      </FactItem>
      {slow && (
        <FactItem label="Slowest plugin">
          {slow.id} ({(slow.durationMs / 1000).toFixed(1)} s)
        </FactItem>
      )}
      <FactItem label="Waiting to send">
        {health.spool ? `${plural(health.spool.reports, 'report')}${health.spool.dropped ? `; ${health.spool.dropped} dropped` : ''}` : '—'}
      </FactItem>
      <FactItem label="Crashes">
        {health.lastCrash ? (
          <>
            {plural(Math.max(1, health.crashes), 'crash', 'crashes')}; the newest at {health.lastCrash.at ? formatDateTime(health.lastCrash.at) : 'an unknown time'} (version{' '}
            {health.lastCrash.version}): <Text as="span" fontFamily="mono">{health.lastCrash.message}</Text>
          </>
        ) : (
          'none'
        )}
      </FactItem>
    </DataList.Root>
  );
}
