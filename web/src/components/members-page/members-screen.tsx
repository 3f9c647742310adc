'use client';

// The Members page: who belongs to the workspace, with the actions the caller's role allows on each
// row (lib/domain/member-actions.ts, the callables' own rules), and for owners and admins the
// invitations. Every change goes through a callable, which decides again.
import { Badge, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { MEMBERS_READ } from '@/lib/data/members';
import { seesInvitations, ROLE_LABELS } from '@/lib/domain/member-actions';
import { useInvitations, useMembers } from '@/lib/hooks/use-members';
import { describeError } from '@/lib/text/error-message';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { useSession } from '../session-gate/session-context';
import { PageHeader } from '../ui/page-header';
import { Section } from '../ui/section';
import { InvitationsList } from './invitations-list';
import { InviteDialog } from './invite-dialog';
import { MembersNote } from './members-note';
import { MembersTable } from './members-table';

export function MembersScreen() {
  const session = useSession();
  const { workspaceId } = session;
  const caller = session.member.role;
  const members = useMembers(workspaceId);
  const managesInvitations = seesInvitations(caller);
  const invitations = useInvitations(workspaceId, managesInvitations);
  const [note, setNote] = useState<string | null>(null);

  return (
    <Stack gap="6">
      <PageHeader
        eyebrow={session.workspace.name}
        title="Members"
        description={
          <>
            Your role here: <Badge data-testid="workspace-role">{ROLE_LABELS[caller]}</Badge>
          </>
        }
        actions={managesInvitations && <InviteDialog workspaceId={workspaceId} caller={caller} onInvited={setNote} />}
      />
      {note && <MembersNote message={note} />}
      <Section title="Members" testId="members-section">
        {members.error ? (
          <ErrorAlert
            title="Could not load the members"
            message={describeError(members.error)}
            onRetry={() => void members.mutate()}
            retrying={members.isValidating}
          />
        ) : members.data ? (
          <Stack gap="3">
            <MembersTable workspaceId={workspaceId} session={session} members={members.data} />
            {members.data.length >= MEMBERS_READ && (
              <Text textStyle="sm" color="fg.muted" data-testid="members-limit">
                The page shows at most {MEMBERS_READ} members, and this workspace has at least that many: some may be missing here.
              </Text>
            )}
          </Stack>
        ) : (
          <LoadingState label="Loading the members…" />
        )}
      </Section>
      {managesInvitations && (
        <Section title="Invitations" testId="invitations-section">
          {invitations.error ? (
            <ErrorAlert
              title="Could not load the invitations"
              message={describeError(invitations.error)}
              onRetry={() => void invitations.mutate()}
              retrying={invitations.isValidating}
            />
          ) : invitations.data ? (
            <InvitationsList workspaceId={workspaceId} caller={caller} lists={invitations.data} onResent={setNote} />
          ) : (
            <LoadingState label="Loading the invitations…" />
          )}
        </Section>
      )}
    </Stack>
  );
}
