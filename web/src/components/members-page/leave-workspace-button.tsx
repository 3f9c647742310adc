'use client';

import { Button, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useLeaveWorkspace } from '@/lib/hooks/use-team-writes';
import { ConfirmDialog } from '../ui/confirm-dialog';

/**
 * The caller's own row: leaving instead of removing. The last owner is refused by the server, whose
 * sentence the dialog shows (hand ownership over first, or delete the workspace).
 */
export function LeaveWorkspaceButton({ workspaceId, uid, workspaceName }: { workspaceId: string; uid: string; workspaceName: string }) {
  const leaveWorkspace = useLeaveWorkspace();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="xs" variant="outline" colorPalette="red" onClick={() => setOpen(true)}>
        Leave workspace
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Leave ${workspaceName}?`}
        confirmLabel="Leave"
        destructive
        onConfirm={async () => {
          const next = await leaveWorkspace(workspaceId, uid);
          // `/` without a workspace makes the user a fresh personal workspace when none is left.
          router.replace(next ? dashboardLinks.overview(next) : '/');
        }}
      >
        <Text>You lose access to this workspace at once. To come back, an owner or admin must invite you again.</Text>
      </ConfirmDialog>
    </>
  );
}
