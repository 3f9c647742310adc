import { Box, Text } from '@chakra-ui/react';
import type { EventView } from '@/lib/model/event';
import { formatDateTime, plural } from '@/lib/text/format';
import { dashboardLinks, solutionDisplayName } from '@vigil/schema/constants';
import { ValueDiff } from '../solution/value-diff';
import { AppLink } from '../ui/app-link';
import { LimitedList } from '../ui/limited-list';

/** What happened, in full: the tests and their messages, the configuration diffs, the silence. */
export function EventDetails({ workspaceId, event }: { workspaceId: string; event: EventView }) {
  const { details } = event;
  const solutionLink = (id: string) => (
    <AppLink href={dashboardLinks.solution(workspaceId, event.agentId, id)} fontWeight="medium">
      {solutionDisplayName(id)}
    </AppLink>
  );
  switch (event.kind) {
    case 'test_failed':
    case 'test_recovered':
      return (
        <LimitedList
          items={(details.tests ?? []).map((test) => (
            <li key={`${test.solutionId}/${test.testId}`}>
              <Text textStyle="sm" wordBreak="break-word">
                {solutionLink(test.solutionId)}:{' '}
                <Text as="span" fontFamily="mono">
                  {test.testId}
                </Text>
              </Text>
              <Text textStyle="sm" color="fg.muted" wordBreak="break-word" whiteSpace="pre-wrap" data-testid="event-test-message">
                {test.message}
              </Text>
            </li>
          ))}
        />
      );
    case 'config_changed':
      return (
        <LimitedList
          as="div"
          gap="3"
          items={(details.changes ?? []).map((change) => (
            <Box key={`${change.solutionId}/${change.key}`} data-testid="config-change" data-key={change.key}>
              <Text textStyle="sm" mb="1" wordBreak="break-all">
                {solutionLink(change.solutionId)}:{' '}
                <Text as="span" fontFamily="mono" fontWeight="semibold">
                  {change.key}
                </Text>
              </Text>
              <ValueDiff before={change.before} after={change.after} />
            </Box>
          ))}
        />
      );
    case 'solution_added':
    case 'solution_removed':
      return (
        <Text textStyle="sm">
          {event.kind === 'solution_added' ? 'Found: ' : 'No longer found: '}
          {(details.solutions ?? event.solutionIds).map(solutionDisplayName).join(', ')}
        </Text>
      );
    case 'agent_offline':
      return (
        <Text textStyle="sm">
          Last report {details.lastSeenAt ? formatDateTime(new Date(details.lastSeenAt)) : 'unknown'}
          {details.missedIntervals !== undefined ? `; ${plural(Math.floor(details.missedIntervals), 'reporting interval')} missed.` : '.'}
        </Text>
      );
    case 'agent_online':
      return <Text textStyle="sm">The agent is reporting again.</Text>;
  }
}
