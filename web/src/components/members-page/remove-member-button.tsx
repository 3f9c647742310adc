'use client';

import { Button, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useRemoveMember } from '@/lib/hooks/use-team-writes';
import { ConfirmDialog } from '../ui/confirm-dialog';

export function RemoveMemberButton({ workspaceId, uid, name }: { workspaceId: string; uid: string; name: string }) {
  const removeMember = useRemoveMember();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="xs" variant="outline" colorPalette="red" onClick={() => setOpen(true)} aria-label={`Remove ${name}`}>
        Remove
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Remove ${name}?`}
        confirmLabel="Remove"
        destructive
        onConfirm={async () => {
          await removeMember(workspaceId, uid);
        }}
      >
        <Text>They lose access to this workspace at once and get no more of its emails. They can be invited again.</Text>
      </ConfirmDialog>
    </>
  );
}
