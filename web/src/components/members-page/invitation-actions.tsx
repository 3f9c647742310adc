'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useResendInvitation, useRevokeInvitation } from '@/lib/hooks/use-team-writes';
import type { InvitationView } from '@/lib/model/member';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { InlineError } from '../ui/inline-error';
import { useWriteState } from '../ui/use-write-state';

interface InvitationActionsProps {
  workspaceId: string;
  invitation: InvitationView;
  onResent: (message: string) => void;
}

/** Resend (a new link: the old one stops working) and Revoke (asks first). */
export function InvitationActions({ workspaceId, invitation, onResent }: InvitationActionsProps) {
  const resendInvitation = useResendInvitation();
  const revokeInvitation = useRevokeInvitation();
  const resend = useWriteState();
  const [revoking, setRevoking] = useState(false);
  return (
    <>
      <HStack gap="2" wrap="wrap">
        <Button
          size="xs"
          variant="outline"
          loading={resend.pending}
          aria-label={`Resend the invitation of ${invitation.email}`}
          onClick={() =>
            void resend.run(async () => {
              await resendInvitation(workspaceId, invitation.id);
              onResent(`A new invitation link was sent to ${invitation.email}; the previous one no longer works.`);
            })
          }
        >
          Resend
        </Button>
        <Button
          size="xs"
          variant="outline"
          colorPalette="red"
          onClick={() => setRevoking(true)}
          aria-label={`Revoke the invitation of ${invitation.email}`}
        >
          Revoke
        </Button>
      </HStack>
      <InlineError message={resend.error} />
      <ConfirmDialog
        open={revoking}
        onOpenChange={setRevoking}
        title={`Revoke the invitation of ${invitation.email}?`}
        confirmLabel="Revoke"
        destructive
        onConfirm={() => revokeInvitation(workspaceId, invitation.id)}
      >
        <Text>Its link stops working at once. You can invite the address again later.</Text>
      </ConfirmDialog>
    </>
  );
}
