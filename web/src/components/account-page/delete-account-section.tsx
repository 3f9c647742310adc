'use client';

import { Button, List, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useDeleteAccount } from '@/lib/hooks/use-workspace-writes';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Section } from '../ui/section';

/**
 * Deleting one's own account. The server refuses while the user is the last owner of any workspace
 * (failed-precondition, saying how many): the dialog stays open with that sentence. On success the
 * browser signs out, and the page goes to the sign-in page (told by `onDeleting`).
 */
export function DeleteAccountSection({ uid, onDeleting }: { uid: string; onDeleting: (deleting: boolean) => void }) {
  const deleteAccount = useDeleteAccount();
  const [open, setOpen] = useState(false);
  return (
    <Section title="Delete your account" testId="delete-account">
      <Stack gap="3" align="flex-start">
        <Text textStyle="sm" color="fg.muted">
          A workspace you alone own must first be handed over (make another member its owner) or deleted, in its Settings.
        </Text>
        <Button colorPalette="red" variant="outline" onClick={() => setOpen(true)}>
          Delete account
        </Button>
      </Stack>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Delete your account?"
        confirmLabel="Delete account"
        destructive
        onConfirm={async () => {
          onDeleting(true);
          try {
            await deleteAccount(uid);
          } catch (caught) {
            onDeleting(false);
            throw caught;
          }
        }}
      >
        <Text mb="2">This cannot be undone:</Text>
        <List.Root ps="5" gap="1">
          <List.Item>you leave every workspace you belong to, and get no more alerts;</List.Item>
          <List.Item>your sign-in is deleted: signing in again would start a new, empty account.</List.Item>
        </List.Root>
      </ConfirmDialog>
    </Section>
  );
}
