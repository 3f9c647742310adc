'use client';

import { Button, Stack, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { useLeaveWorkspace } from '@/lib/hooks/use-team-writes';
import { rememberGoneWorkspace } from '../account-page/last-workspace-gone';
import { ConfirmDialog } from '../ui/confirm-dialog';

/**
 * The caller's own row: leaving instead of removing. The last owner sees it disabled with the reason
 * (`refusal`: hand ownership over first, or delete the workspace); the server still decides, and a
 * refusal from it (the page may be stale) shows in the dialog.
 */
export function LeaveWorkspaceButton({
  workspaceId,
  uid,
  workspaceName,
  refusal,
}: {
  workspaceId: string;
  uid: string;
  workspaceName: string;
  refusal: string | null;
}) {
  const leaveWorkspace = useLeaveWorkspace();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const reasonId = useId();
  return (
    <>
      <Stack gap="1" align="flex-start">
        <Button
          size="xs"
          variant="outline"
          colorPalette="red"
          // aria-disabled, not disabled: it stays focusable, so a keyboard or screen reader reaches it and its reason.
          aria-disabled={refusal !== null}
          aria-describedby={refusal !== null ? reasonId : undefined}
          onClick={() => {
            if (refusal === null) setOpen(true);
          }}
        >
          Leave workspace
        </Button>
        {refusal !== null && (
          <Text id={reasonId} textStyle="xs" color="fg.muted" maxW="64" data-testid="leave-refusal">
            {refusal}
          </Text>
        )}
      </Stack>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Leave ${workspaceName}?`}
        confirmLabel="Leave"
        destructive
        onConfirm={async () => {
          const next = await leaveWorkspace(workspaceId, uid);
          // None left: the account page offers a fresh workspace or deleting the account, as after a deletion.
          if (next === null) rememberGoneWorkspace(uid, { name: workspaceName, how: 'left' });
          router.replace(next ? dashboardLinks.overview(next) : dashboardLinks.account());
        }}
      >
        <Text>You lose access to this workspace at once. To come back, an owner or admin must invite you again.</Text>
      </ConfirmDialog>
    </>
  );
}
