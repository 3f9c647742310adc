'use client';

import { Button, Dialog, Field, Input, Portal, Stack, Textarea } from '@chakra-ui/react';
import type { CreateAgentResult } from '@vigil/schema';
import NextLink from 'next/link';
import { useState, type FormEvent } from 'react';
import { useWriteState } from '../ui/use-write-state';
import { useCreateAgent } from '@/lib/hooks/use-agent-writes';
import { dashboardLinks } from '@vigil/schema/constants';
import { ErrorAlert } from '../error-alert';
import { InstallCommandReveal } from './install-command-reveal';

const NAME_MAX = 100;
const DESCRIPTION_MAX = 500;

/** Two steps in one dialog: name the host, then see its install command once (no key: it enrolls the host, once). */
export function CreateAgentDialog({ workspaceId }: { workspaceId: string }) {
  const createAgent = useCreateAgent();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { pending, error, run, clearError } = useWriteState();
  const [created, setCreated] = useState<CreateAgentResult | null>(null);
  const nameError = name.trim().length > NAME_MAX ? `At most ${NAME_MAX} characters.` : null;

  function reset() {
    setName('');
    setDescription('');
    clearError();
    setCreated(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === '' || nameError) return;
    await run(async () => setCreated(await createAgent({ workspaceId, name: name.trim(), description: description.trim() })));
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => {
        if (pending) return;
        setOpen(details.open);
        if (!details.open) reset();
      }}
      size={{ mdDown: 'full', md: 'lg' }}
    >
      <Dialog.Trigger asChild>
        <Button colorPalette="blue">Create agent</Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{created ? `Install ${name.trim()}` : 'Create an agent'}</Dialog.Title>
            </Dialog.Header>
            {created ? (
              <>
                <Dialog.Body>
                  <InstallCommandReveal result={created} />
                </Dialog.Body>
                <Dialog.Footer>
                  <Button asChild variant="outline">
                    <NextLink href={dashboardLinks.agent(workspaceId, created.agentId)}>Open the agent</NextLink>
                  </Button>
                  <Dialog.ActionTrigger asChild>
                    <Button colorPalette="blue">I have copied the command</Button>
                  </Dialog.ActionTrigger>
                </Dialog.Footer>
              </>
            ) : (
              <form onSubmit={(event) => void submit(event)} aria-label="Create an agent">
                <Dialog.Body>
                  <Stack gap="4">
                    {error && <ErrorAlert title="Could not create the agent" message={error} />}
                    <Field.Root required invalid={nameError !== null}>
                      <Field.Label>
                        Name <Field.RequiredIndicator />
                      </Field.Label>
                      <Input name="name" value={name} onChange={(event) => setName(event.target.value)} placeholder="web-1" autoComplete="off" />
                      {nameError ? (
                        <Field.ErrorText>{nameError}</Field.ErrorText>
                      ) : (
                        <Field.HelperText>Usually the server's hostname.</Field.HelperText>
                      )}
                    </Field.Root>
                    <Field.Root invalid={description.length > DESCRIPTION_MAX}>
                      <Field.Label>Description</Field.Label>
                      <Textarea name="description" value={description} onChange={(event) => setDescription(event.target.value)} rows={2} />
                      {description.length > DESCRIPTION_MAX && <Field.ErrorText>At most {DESCRIPTION_MAX} characters.</Field.ErrorText>}
                    </Field.Root>
                  </Stack>
                </Dialog.Body>
                <Dialog.Footer>
                  <Dialog.ActionTrigger asChild>
                    <Button variant="outline" disabled={pending}>
                      Cancel
                    </Button>
                  </Dialog.ActionTrigger>
                  <Button
                    type="submit"
                    colorPalette="blue"
                    loading={pending}
                    disabled={name.trim() === '' || nameError !== null || description.length > DESCRIPTION_MAX}
                  >
                    Create
                  </Button>
                </Dialog.Footer>
              </form>
            )}
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
