import { Badge, Box, DataList, Stack, Text } from '@chakra-ui/react';
import { describeClockSkew } from '@/lib/domain/clock-skew';
import { formatDateTime, formatInterval, plural } from '@/lib/text/format';
import type { AgentHealthView } from '@/lib/model/agent';
import { EmptyPanel } from '../ui/empty-panel';
import { FactItem } from '../ui/fact-item';

/** The agent's clock against the server's, measured by ingest (so shown even without health data). */
function ClockSkewFact({ seconds }: { seconds: number | null }) {
  const skew = describeClockSkew(seconds);
  return (
    <FactItem label="Clock">
      <Box data-testid="clock-skew" data-warning={String(skew?.warning ?? false)}>
        {skew ? (
          <>
            {skew.warning && (
              <Badge colorPalette="orange" variant="surface" me="2">
                Clock off
              </Badge>
            )}
            <Text as="span">{skew.text}</Text>
            {skew.explanation && (
              <Text textStyle="xs" color="fg.muted" mt="1">
                {skew.explanation}
              </Text>
            )}
          </>
        ) : (
          'not measured yet'
        )}
      </Box>
    </FactItem>
  );
}

/** The agent process itself: its clock, how long it runs, what its plugins did, its backlog, its crashes. */
export function AgentHealth({ health, clockSkewSeconds }: { health: AgentHealthView | null; clockSkewSeconds: number | null }) {
  if (!health) {
    return (
      <Stack gap="4">
        <DataList.Root orientation="horizontal" size="sm" data-testid="agent-health">
          <ClockSkewFact seconds={clockSkewSeconds} />
        </DataList.Root>
        <EmptyPanel title="No health data" description="The agent does not send it (send_agent_health: false), or it is older than that option." />
      </Stack>
    );
  }
  const slow = health.plugins.reduce<(typeof health.plugins)[number] | undefined>((a, b) => (a && a.durationMs >= b.durationMs ? a : b), undefined);
  return (
    <DataList.Root orientation="horizontal" size="sm" data-testid="agent-health">
      <ClockSkewFact seconds={clockSkewSeconds} />
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
            {plural(Math.max(1, health.crashes), 'crash', 'crashes')}; the newest at{' '}
            {health.lastCrash.at ? formatDateTime(health.lastCrash.at) : 'an unknown time'} (version {health.lastCrash.version}):{' '}
            <Text as="span" fontFamily="mono">
              {health.lastCrash.message}
            </Text>
          </>
        ) : (
          'none'
        )}
      </FactItem>
    </DataList.Root>
  );
}
