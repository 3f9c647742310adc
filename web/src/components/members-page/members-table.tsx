'use client';

import { Badge, HStack, Table, Text } from '@chakra-ui/react';
import { memberActions, ROLE_LABELS } from '@/lib/domain/member-actions';
import type { WorkspaceSession } from '@/lib/hooks/use-workspace-session';
import type { MemberView } from '@/lib/model/member';
import { RelativeTime } from '../ui/relative-time';
import { LeaveWorkspaceButton } from './leave-workspace-button';
import { MemberRoleSelect } from './member-role-select';
import { RemoveMemberButton } from './remove-member-button';

interface MembersTableProps {
  workspaceId: string;
  session: WorkspaceSession;
  members: MemberView[];
}

/** One row per member; each offers only what the caller may do to that member. */
export function MembersTable({ workspaceId, session, members }: MembersTableProps) {
  const owners = members.filter((member) => member.role === 'owner').length;
  return (
    <Table.ScrollArea borderWidth="1px" borderRadius="l2" bg="bg">
      <Table.Root size="sm" data-testid="members-table">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Member</Table.ColumnHeader>
            <Table.ColumnHeader>Role</Table.ColumnHeader>
            <Table.ColumnHeader>Joined</Table.ColumnHeader>
            <Table.ColumnHeader>Last active</Table.ColumnHeader>
            <Table.ColumnHeader>Actions</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {members.map((member) => {
            const self = member.uid === session.uid;
            const name = member.email ?? member.uid;
            const actions = memberActions({ caller: session.member.role, target: member.role, owners, self });
            return (
              <Table.Row key={member.uid} data-testid="member-row" data-email={member.email ?? undefined}>
                <Table.Cell minW="48" wordBreak="break-word">
                  <HStack gap="2" wrap="wrap">
                    <Text fontWeight="medium">{name}</Text>
                    {self && (
                      <Badge colorPalette="blue" variant="subtle">
                        you
                      </Badge>
                    )}
                  </HStack>
                  {member.invitedBy?.email && (
                    <Text textStyle="xs" color="fg.muted">
                      Invited by {member.invitedBy.email}
                    </Text>
                  )}
                </Table.Cell>
                <Table.Cell minW="32">
                  {actions.roles.length > 0 ? (
                    <MemberRoleSelect workspaceId={workspaceId} member={member} name={name} roles={actions.roles} self={self} />
                  ) : (
                    <Badge variant="surface" data-testid="member-role">
                      {ROLE_LABELS[member.role]}
                    </Badge>
                  )}
                </Table.Cell>
                <Table.Cell whiteSpace="nowrap">
                  <RelativeTime date={member.joinedAt} fallback="—" />
                </Table.Cell>
                <Table.Cell whiteSpace="nowrap">
                  <RelativeTime date={member.lastActiveAt} fallback="not yet" />
                </Table.Cell>
                <Table.Cell>
                  {actions.canRemove && <RemoveMemberButton workspaceId={workspaceId} uid={member.uid} name={name} />}
                  {actions.canLeave && (
                    <LeaveWorkspaceButton
                      workspaceId={workspaceId}
                      uid={session.uid}
                      workspaceName={session.workspace.name}
                      refusal={actions.leaveRefusal}
                    />
                  )}
                </Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
