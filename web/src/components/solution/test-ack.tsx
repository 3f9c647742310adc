'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { describeError } from '@/lib/text/error-message';
import { useMemberEmail } from '@/lib/hooks/use-member-email';
import { useMarkTestChecked, useUndoTestCheck } from '@/lib/hooks/use-test-acks';
import type { TestAckView } from '@/lib/model/member';
import { ackApplies } from '@/lib/domain/test-series';
import { useSession } from '../session-gate/session-context';
import { RelativeTime } from '../ui/relative-time';

interface TestAckProps {
  agentId: string;
  solutionId: string;
  testId: string;
  /** testAlerts[testId].since: the current failure streak. */
  since: string | undefined;
  ack: TestAckView | undefined;
}

function CheckedBy({ ack }: { ack: TestAckView }) {
  const session = useSession();
  const email = useMemberEmail(session.workspaceId, ack.acknowledgedBy === session.uid ? null : ack.acknowledgedBy);
  const who = ack.acknowledgedBy === session.uid ? 'you' : (email.data ?? 'a former member');
  return (
    <Text textStyle="sm" color="fg.muted" data-testid="checked-by">
      Checked by {who} <RelativeTime date={ack.acknowledgedAt} fallback="just now" />
    </Text>
  );
}

/** "Mark as checked" on a failing test; the mark holds until the test passes and fails again. */
export function TestAck({ agentId, solutionId, testId, since, ack }: TestAckProps) {
  const session = useSession();
  const markTestChecked = useMarkTestChecked();
  const undoTestCheck = useUndoTestCheck();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = ackApplies(ack, since) ? ack : undefined;

  async function run(change: 'mark' | 'unmark') {
    setPending(true);
    setError(null);
    try {
      const ref = { workspaceId: session.workspaceId, agentId, solutionId, testId };
      // Each write reads the solution's marks again (useTestAcks' key) before it resolves.
      await (change === 'mark' ? markTestChecked(ref, since ?? '', session.uid) : undoTestCheck(ref));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setPending(false);
    }
  }

  if (!current && (!session.canManage || since === undefined)) return null;
  return (
    <HStack gap="3" wrap="wrap">
      {current && <CheckedBy ack={current} />}
      {session.canManage &&
        (current ? (
          <Button size="xs" variant="ghost" onClick={() => void run('unmark')} loading={pending}>
            Undo
          </Button>
        ) : (
          <Button size="xs" variant="outline" onClick={() => void run('mark')} loading={pending} aria-label={`Mark as checked: ${testId}`}>
            Mark as checked
          </Button>
        ))}
      {error && (
        <Text textStyle="sm" color="red.fg" role="alert">
          {error}
        </Text>
      )}
    </HStack>
  );
}
