'use client';

import { Badge, Box, Flex, Stack, Text } from '@chakra-ui/react';
import type { HistoryPoint, SolutionState } from '@vigil/schema';
import type { TestAckView } from '@/lib/model/member';
import { plural } from '@/lib/text/format';
import { ownValue } from '@vigil/schema/constants';
import { testSeries } from '@/lib/domain/test-series';
import { PassFailStrip } from '../charts/pass-fail-strip';
import { EmptyPanel } from '../ui/empty-panel';
import { RelativeTime } from '../ui/relative-time';
import { PassFailBadge } from '../ui/status-badge';
import { TestAck } from './test-ack';

interface TestsListProps {
  agentId: string;
  solutionId: string;
  solution: SolutionState;
  history: HistoryPoint[];
  acks: Record<string, TestAckView> | undefined;
}

/** Failing tests first; each with its message, its results in the recorded reports and its alert state. */
export function TestsList({ agentId, solutionId, solution, history, acks }: TestsListProps) {
  if (solution.tests.length === 0) return <EmptyPanel title="No tests" description="The agent ran no test for this solution." />;
  const tests = [...solution.tests].sort((a, b) => Number(a.passed) - Number(b.passed) || a.id.localeCompare(b.id));
  return (
    <Stack as="ul" gap="3" listStyleType="none" data-testid="tests-list">
      {tests.map((test) => {
        const alert = ownValue(solution.testAlerts, test.id);
        const since = alert?.since;
        return (
          <Box
            as="li"
            key={test.id}
            borderWidth="1px"
            borderRadius="l2"
            p="3"
            data-testid="test-item"
            data-test-id={test.id}
            data-passed={test.passed}
          >
            <Flex justify="space-between" gap="3" wrap="wrap" align="center">
              <Flex gap="2" align="center" wrap="wrap" minW="0">
                <PassFailBadge passed={test.passed} />
                <Text as="h3" fontFamily="mono" textStyle="sm" fontWeight="semibold" wordBreak="break-all">
                  {test.id}
                </Text>
                <Badge variant="outline">{test.type}</Badge>
              </Flex>
              <PassFailStrip results={testSeries(history, solutionId, test.id)} />
            </Flex>
            <Text mt="2" textStyle="sm" whiteSpace="pre-wrap" wordBreak="break-word" data-testid="test-message">
              {test.message}
            </Text>
            {!test.passed && (
              <Stack gap="2" mt="2">
                <Text textStyle="xs" color="fg.muted">
                  Failed the last {(alert?.failures ?? 1) === 1 ? 'report' : plural(alert?.failures ?? 1, 'report')}
                  {since ? (
                    <>
                      , failing since <RelativeTime date={new Date(since)} />
                    </>
                  ) : null}
                  {alert?.alerting ? '. An alert was raised.' : '. Below the alert threshold: no alert yet.'}
                </Text>
                <TestAck agentId={agentId} solutionId={solutionId} testId={test.id} since={since} ack={ownValue(acks, test.id)} />
              </Stack>
            )}
          </Box>
        );
      })}
    </Stack>
  );
}
