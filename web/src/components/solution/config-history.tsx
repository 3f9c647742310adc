'use client';

import { Box, Stack, Text } from '@chakra-ui/react';
import { describeError } from '@/lib/text/error-message';
import { useConfigChanges } from '@/lib/hooks/use-events';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { LimitedList } from '../ui/limited-list';
import { RelativeTime } from '../ui/relative-time';
import { ValueDiff } from './value-diff';

/** The configuration changes of this solution on this agent, from its config_changed events. */
interface ConfigHistoryProps {
  workspaceId: string;
  agentId: string;
  solutionId: string;
  /** The configuration shown now: the history is read again when it changes. */
  configuration: Record<string, unknown>;
}

export function ConfigHistory({ workspaceId, agentId, solutionId, configuration }: ConfigHistoryProps) {
  const changes = useConfigChanges(workspaceId, agentId, solutionId, JSON.stringify(configuration));
  if (changes.error) return <ErrorAlert title="Could not load the configuration history" message={describeError(changes.error)} />;
  if (!changes.data) return <LoadingState label="Loading the configuration history…" />;
  const events = changes.data.events;
  if (events.length === 0)
    return <EmptyPanel title="No changes yet" description="When a report shows a different configuration, the change appears here." />;
  return (
    <LimitedList
      as="ol"
      gap="5"
      testId="config-history"
      items={events.map((event) => (
        <Box as="li" key={event.id}>
          <Text textStyle="sm" color="fg.muted" mb="2">
            <RelativeTime date={event.createdAt} fallback="just now" />
          </Text>
          <Stack gap="3">
            {(event.details.changes ?? [])
              .filter((change) => change.solutionId === solutionId)
              .map((change) => (
                <Box key={change.key} data-testid="config-change" data-key={change.key}>
                  <Text fontFamily="mono" textStyle="sm" fontWeight="semibold" mb="1" wordBreak="break-all">
                    {change.key}
                  </Text>
                  <ValueDiff before={change.before} after={change.after} />
                </Box>
              ))}
          </Stack>
        </Box>
      ))}
    />
  );
}
