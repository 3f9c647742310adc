'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { useWriteState } from '../ui/use-write-state';
import { useMemberEmail } from '@/lib/hooks/use-member-email';
import { useMarkTestChecked, useUndoTestCheck } from '@/lib/hooks/use-test-acks';
import type { TestAckView } from '@/lib/model/member';
import { ackApplies } from '@/lib/domain/test-series';
import { useSession } from '../session-gate/session-context';
import { InlineError } from '../ui/inline-error';
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
  const { pending, error, run } = useWriteState();
  const current = ackApplies(ack, since) ? ack : undefined;

  async function change(to: 'mark' | 'unmark') {
    const ref = { workspaceId: session.workspaceId, agentId, solutionId, testId };
    // Each write reads the solution's marks again (useTestAcks' key) before it resolves.
    await run(() => (to === 'mark' ? markTestChecked(ref, since ?? '', session.uid) : undoTestCheck(ref)));
  }

  if (!current && (!session.canManage || since === undefined)) return null;
  return (
    <HStack gap="3" wrap="wrap">
      {current && <CheckedBy ack={current} />}
      {session.canManage &&
        (current ? (
          <Button size="xs" variant="ghost" onClick={() => void change('unmark')} loading={pending}>
            Undo
          </Button>
        ) : (
          <Button size="xs" variant="outline" onClick={() => void change('mark')} loading={pending} aria-label={`Mark as checked: ${testId}`}>
            Mark as checked
          </Button>
        ))}
      <InlineError message={error} />
    </HStack>
  );
}
