'use client';

import { Button, Dialog, Field, Input, Portal, Stack } from '@chakra-ui/react';
import { dashboardLinks, LIMITS } from '@vigil/schema/constants';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useCreateWorkspace } from '@/lib/hooks/use-workspace-writes';
import { ErrorAlert } from '../error-alert';
import { useWriteState } from '../ui/use-write-state';

interface CreateWorkspaceDialogProps {
  uid: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** Names a new workspace, creates it (the user is its owner) and opens its overview. */
export function CreateWorkspaceDialog({ uid, open, onOpenChange }: CreateWorkspaceDialogProps) {
  const createWorkspace = useCreateWorkspace();
  const router = useRouter();
  const [name, setName] = useState('');
  const { pending, error, run, clearError } = useWriteState();
  const trimmed = name.trim();
  const nameError = trimmed.length > LIMITS.workspaceNameLength ? `At most ${LIMITS.workspaceNameLength} characters.` : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (trimmed === '' || nameError) return;
    await run(async () => {
      const workspaceId = await createWorkspace(uid, trimmed);
      onOpenChange(false);
      setName('');
      router.push(dashboardLinks.overview(workspaceId));
    });
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => {
        if (pending) return;
        onOpenChange(details.open);
        if (!details.open) {
          setName('');
          clearError();
        }
      }}
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content mx="4">
            <form onSubmit={(event) => void submit(event)} aria-label="Create a workspace">
              <Dialog.Header>
                <Dialog.Title>Create a workspace</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <Dialog.Description>A workspace has its own agents, events, members and settings. You will be its owner.</Dialog.Description>
                  {error && <ErrorAlert title="Could not create the workspace" message={error} />}
                  <Field.Root required invalid={nameError !== null}>
                    <Field.Label>
                      Workspace name <Field.RequiredIndicator />
                    </Field.Label>
                    <Input name="workspace-name" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
                    {nameError ? (
                      <Field.ErrorText>{nameError}</Field.ErrorText>
                    ) : (
                      <Field.HelperText>You can rename it later in Settings.</Field.HelperText>
                    )}
                  </Field.Root>
                </Stack>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={pending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button type="submit" colorPalette="blue" loading={pending} disabled={trimmed === '' || nameError !== null}>
                  Create workspace
                </Button>
              </Dialog.Footer>
            </form>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
