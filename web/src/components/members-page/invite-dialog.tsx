'use client';

import { Button, Dialog, Field, Input, NativeSelect, Portal, Stack, Text } from '@chakra-ui/react';
import { INVITATION_LIMITS, type Role } from '@vigil/schema/constants';
import { useState, type FormEvent } from 'react';
import { invitableRoles, ROLE_LABELS } from '@/lib/domain/member-actions';
import { useInviteMember } from '@/lib/hooks/use-team-writes';
import { ErrorAlert } from '../error-alert';
import { useWriteState } from '../ui/use-write-state';

interface InviteDialogProps {
  workspaceId: string;
  caller: Role;
  /** Told what happened once the invitation went out. */
  onInvited: (message: string) => void;
}

/** An address and a role (admins cannot pick owner); the server validates the address and sends the email. */
export function InviteDialog({ workspaceId, caller, onInvited }: InviteDialogProps) {
  const inviteMember = useInviteMember();
  const roles = invitableRoles(caller);
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const { pending, error, run, clearError } = useWriteState();

  function reset() {
    setEmail('');
    setRole('viewer');
    clearError();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    if (address === '') return;
    const sent = await run(async () => {
      const reply = await inviteMember({ workspaceId, email: address, role });
      onInvited(
        reply.resent
          ? `${address} already had a pending invitation: a new link was sent as ${ROLE_LABELS[role].toLowerCase()}.`
          : `Invitation sent to ${address} as ${ROLE_LABELS[role].toLowerCase()}.`,
      );
    });
    if (sent) {
      setOpen(false);
      reset();
    }
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => {
        if (pending) return;
        setOpen(details.open);
        if (!details.open) reset();
      }}
    >
      <Dialog.Trigger asChild>
        <Button colorPalette="blue">Invite</Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content mx="4">
            <form onSubmit={(event) => void submit(event)} aria-label="Invite a member">
              <Dialog.Header>
                <Dialog.Title>Invite a member</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  {error && <ErrorAlert title="Could not invite" message={error} />}
                  <Field.Root required>
                    <Field.Label>
                      Email <Field.RequiredIndicator />
                    </Field.Label>
                    <Input name="email" type="email" value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="off" />
                    <Field.HelperText>
                      They get a link valid for {INVITATION_LIMITS.validDays} days, to accept with this address once it is verified.
                    </Field.HelperText>
                  </Field.Root>
                  <Field.Root>
                    <Field.Label>Role</Field.Label>
                    <NativeSelect.Root>
                      <NativeSelect.Field name="role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
                        {roles.map((each) => (
                          <option key={each} value={each}>
                            {ROLE_LABELS[each]}
                          </option>
                        ))}
                      </NativeSelect.Field>
                      <NativeSelect.Indicator />
                    </NativeSelect.Root>
                  </Field.Root>
                  <Text textStyle="xs" color="fg.muted">
                    A workspace sends at most {INVITATION_LIMITS.emailsPerWorkspacePerDay} invitation emails a day (UTC).
                  </Text>
                </Stack>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={pending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button type="submit" colorPalette="blue" loading={pending} disabled={email.trim() === ''}>
                  Send invitation
                </Button>
              </Dialog.Footer>
            </form>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
