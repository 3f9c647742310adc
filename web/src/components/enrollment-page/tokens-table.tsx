'use client';

import { Badge, Button, Table, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useRevokeEnrollmentToken } from '@/lib/hooks/use-enrollment-tokens';
import { enrollmentTokenState, usesText, type EnrollmentTokenState, type EnrollmentTokenView } from '@/lib/model/enrollment-token';
import { displayEnrollmentTokenPrefix } from '@vigil/schema/constants';
import { LabelChips } from '../agent-labels/label-chips';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { RelativeTime } from '../ui/relative-time';
import { useNow } from '../ui/use-now';

const STATE = {
  active: { label: 'Active', palette: 'green' },
  revoked: { label: 'Revoked', palette: 'orange' },
  expired: { label: 'Expired', palette: 'gray' },
  'used-up': { label: 'Used up', palette: 'gray' },
} as const satisfies Record<EnrollmentTokenState, { label: string; palette: string }>;

export function TokensTable({ workspaceId, tokens }: { workspaceId: string; tokens: EnrollmentTokenView[] }) {
  const now = useNow();
  const [revoking, setRevoking] = useState<EnrollmentTokenView | null>(null);
  const revokeToken = useRevokeEnrollmentToken();
  return (
    <>
      <Table.ScrollArea borderWidth="1px" borderRadius="l2" bg="bg">
        <Table.Root size="sm" data-testid="tokens-table">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Token</Table.ColumnHeader>
              <Table.ColumnHeader>Status</Table.ColumnHeader>
              <Table.ColumnHeader>Labels</Table.ColumnHeader>
              <Table.ColumnHeader>Uses</Table.ColumnHeader>
              <Table.ColumnHeader>Expires</Table.ColumnHeader>
              <Table.ColumnHeader>Created by</Table.ColumnHeader>
              <Table.ColumnHeader>Last used</Table.ColumnHeader>
              <Table.ColumnHeader>Manage</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tokens.map((token) => {
              const state = enrollmentTokenState(token, now);
              return (
                <Table.Row key={token.id} data-testid="token-row" data-token-id={token.id}>
                  <Table.Cell minW="40" maxW="72">
                    <Text fontWeight="medium" wordBreak="break-word" data-testid="token-name">
                      {token.name}
                    </Text>
                    <Text textStyle="xs" color="fg.muted" fontFamily="mono" wordBreak="break-all">
                      {displayEnrollmentTokenPrefix(token.id)}
                    </Text>
                  </Table.Cell>
                  <Table.Cell>
                    <Badge colorPalette={STATE[state].palette} variant="surface" data-testid="token-state">
                      {STATE[state].label}
                    </Badge>
                    {token.revokedAt && (
                      <Text textStyle="xs" color="fg.muted">
                        <RelativeTime date={token.revokedAt} />
                      </Text>
                    )}
                  </Table.Cell>
                  <Table.Cell minW="40">
                    <LabelChips labels={token.labels} empty="None" />
                  </Table.Cell>
                  <Table.Cell whiteSpace="nowrap" data-testid="token-uses">
                    {usesText(token)}
                  </Table.Cell>
                  <Table.Cell whiteSpace="nowrap">
                    <RelativeTime date={token.expiresAt} fallback="—" />
                  </Table.Cell>
                  <Table.Cell wordBreak="break-word">{token.createdBy.email ?? '—'}</Table.Cell>
                  <Table.Cell whiteSpace="nowrap" data-testid="token-last-used">
                    <RelativeTime date={token.lastUsedAt} />
                  </Table.Cell>
                  <Table.Cell>
                    {!token.revokedAt && (
                      <Button
                        size="xs"
                        variant="outline"
                        colorPalette="orange"
                        onClick={() => setRevoking(token)}
                        aria-label={`Revoke ${token.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table.Root>
      </Table.ScrollArea>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke ${revoking?.name ?? 'the token'}?`}
        confirmLabel="Revoke"
        destructive
        onConfirm={() => (revoking ? revokeToken(workspaceId, revoking.id) : Promise.resolve())}
      >
        <Text>
          No host can enroll with it any more. The agents it enrolled keep their keys and keep reporting; revoke those on the Agents page if you need
          to.
        </Text>
      </ConfirmDialog>
    </>
  );
}
