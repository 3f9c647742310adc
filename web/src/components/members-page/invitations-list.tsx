'use client';

import { Badge, Button, Collapsible, HStack, Stack, Table, Text } from '@chakra-ui/react';
import type { Role } from '@vigil/schema/constants';
import { PENDING_INVITATIONS_READ, type InvitationLists } from '@/lib/data/invitations';
import { managesInvitation, ROLE_LABELS } from '@/lib/domain/member-actions';
import type { InvitationView } from '@/lib/model/member';
import { EmptyPanel } from '../ui/empty-panel';
import { RelativeTime } from '../ui/relative-time';
import { useNow } from '../ui/use-now';
import { InvitationActions } from './invitation-actions';

interface InvitationsListProps {
  workspaceId: string;
  caller: Role;
  lists: InvitationLists;
  onResent: (message: string) => void;
}

const invitedByText = (invitation: InvitationView) => invitation.invitedBy?.email ?? invitation.invitedBy?.uid ?? '—';

/** Pending invitations with Resend and Revoke; accepted and revoked ones folded away as "past". */
export function InvitationsList({ workspaceId, caller, lists, onResent }: InvitationsListProps) {
  const now = useNow();
  return (
    <Stack gap="4">
      {lists.pending.length === 0 ? (
        <EmptyPanel title="No pending invitations" description="Invite someone with the Invite button." />
      ) : (
        <Table.ScrollArea borderWidth="1px" borderRadius="l2" bg="bg">
          <Table.Root size="sm" data-testid="pending-invitations">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>Email</Table.ColumnHeader>
                <Table.ColumnHeader>Role</Table.ColumnHeader>
                <Table.ColumnHeader>Invited by</Table.ColumnHeader>
                <Table.ColumnHeader>Expires</Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">Sends</Table.ColumnHeader>
                <Table.ColumnHeader>Actions</Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {lists.pending.map((invitation) => {
                const expired = invitation.expiresAt !== null && invitation.expiresAt.getTime() <= now.getTime();
                return (
                  <Table.Row key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
                    <Table.Cell minW="48" wordBreak="break-word" fontWeight="medium">
                      {invitation.email}
                    </Table.Cell>
                    <Table.Cell>{ROLE_LABELS[invitation.role]}</Table.Cell>
                    <Table.Cell wordBreak="break-word">{invitedByText(invitation)}</Table.Cell>
                    <Table.Cell whiteSpace="nowrap">
                      {expired ? (
                        <Badge colorPalette="orange" variant="surface">
                          Expired
                        </Badge>
                      ) : (
                        <RelativeTime date={invitation.expiresAt} fallback="—" />
                      )}
                    </Table.Cell>
                    <Table.Cell textAlign="end">{invitation.sends}</Table.Cell>
                    <Table.Cell>
                      {managesInvitation(caller, invitation.role) ? (
                        <InvitationActions workspaceId={workspaceId} invitation={invitation} onResent={onResent} />
                      ) : (
                        <Text textStyle="xs" color="fg.muted">
                          An owner’s to manage
                        </Text>
                      )}
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}
      {lists.morePending && (
        <Text textStyle="sm" color="fg.muted" data-testid="more-pending-invitations">
          Only the newest {PENDING_INVITATIONS_READ} pending invitations are shown; older ones exist. Revoke the expired ones to see the rest.
        </Text>
      )}
      {lists.past.length > 0 && (
        <Collapsible.Root>
          <Collapsible.Trigger asChild>
            <Button size="sm" variant="ghost" alignSelf="flex-start">
              Past invitations ({lists.past.length})
            </Button>
          </Collapsible.Trigger>
          <Collapsible.Content>
            <Stack as="ul" gap="1" listStyleType="none" mt="2" data-testid="past-invitations">
              {lists.past.map((invitation) => (
                <HStack as="li" key={invitation.id} gap="2" wrap="wrap" textStyle="sm">
                  <Text wordBreak="break-word">{invitation.email}</Text>
                  <Badge variant="surface">{ROLE_LABELS[invitation.role]}</Badge>
                  <Badge colorPalette={invitation.state === 'accepted' ? 'green' : 'gray'} variant="subtle">
                    {invitation.state === 'accepted' ? 'Accepted' : 'Revoked'}
                  </Badge>
                  <Text color="fg.muted">
                    <RelativeTime date={invitation.acceptedAt ?? invitation.revokedAt ?? invitation.createdAt} fallback="" />
                  </Text>
                </HStack>
              ))}
            </Stack>
          </Collapsible.Content>
        </Collapsible.Root>
      )}
    </Stack>
  );
}
