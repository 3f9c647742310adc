'use client';

import { Button, Dialog, Field, Input, List, Portal, Stack, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useDeleteWorkspace } from '@/lib/hooks/use-workspace-writes';
import { workspaceAfterDeleting } from '@/lib/model/user-workspaces';
import type { WorkspaceSession } from '@/lib/hooks/use-workspace-session';
import { rememberGoneWorkspace } from '../account-page/last-workspace-gone';
import { ErrorAlert } from '../error-alert';
import { useWriteState } from '../ui/use-write-state';

/**
 * Deleting a workspace, confirmed by typing its name exactly (the server checks it again). Afterwards
 * the user goes to another of their workspaces, or, with none left, to their account page, which
 * offers a fresh workspace or deleting the account (a fresh personal workspace made here at once
 * would make the account undeletable again: its owner would be its last owner).
 */
export function DeleteWorkspaceDialog({ session }: { session: WorkspaceSession }) {
  const deleteWorkspace = useDeleteWorkspace();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const { pending, error, run, clearError } = useWriteState();
  const name = session.workspace.name;
  const confirmed = typed === name;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!confirmed) return;
    await run(async () => {
      await deleteWorkspace(session.uid, session.workspaceId, typed);
      const next = workspaceAfterDeleting(session.workspaceId, session.workspaceIds, session.personalWorkspaceId);
      setOpen(false);
      if (next === null) rememberGoneWorkspace(session.uid, { name, how: 'deleted' });
      router.replace(next ? dashboardLinks.overview(next) : dashboardLinks.account());
    });
  }

  return (
    <Dialog.Root
      role="alertdialog"
      open={open}
      onOpenChange={(details) => {
        if (pending) return;
        setOpen(details.open);
        if (!details.open) {
          setTyped('');
          clearError();
        }
      }}
    >
      <Dialog.Trigger asChild>
        <Button colorPalette="red" variant="outline">
          Delete workspace
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content mx="4">
            <form onSubmit={(event) => void submit(event)} aria-label="Delete the workspace">
              <Dialog.Header>
                <Dialog.Title>Delete {name}?</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <Dialog.Description asChild>
                    <div>
                      <Text mb="2">This cannot be undone:</Text>
                      <List.Root ps="5" gap="1">
                        <List.Item>every agent key is revoked at once, so the hosts' reports are refused;</List.Item>
                        <List.Item>all its data is deleted: agents, reports, events, invitations and the activity log;</List.Item>
                        <List.Item>every member loses access to it, and no more alerts are sent from it.</List.Item>
                      </List.Root>
                    </div>
                  </Dialog.Description>
                  {error && <ErrorAlert title="Could not delete the workspace" message={error} />}
                  <Field.Root required>
                    <Field.Label>Type the workspace's name to confirm</Field.Label>
                    <Input
                      name="confirm-name"
                      value={typed}
                      onChange={(event) => setTyped(event.target.value)}
                      autoComplete="off"
                      placeholder={name}
                    />
                    <Field.HelperText>Exactly as it is shown: {name}</Field.HelperText>
                  </Field.Root>
                </Stack>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={pending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button type="submit" colorPalette="red" loading={pending} disabled={!confirmed}>
                  Delete this workspace
                </Button>
              </Dialog.Footer>
            </form>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
