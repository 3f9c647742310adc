'use client';

import { Button, Checkbox, Dialog, Field, Input, Portal, Stack } from '@chakra-ui/react';
import type { CreateEnrollmentTokenResult } from '@vigil/schema';
import { ENROLLMENT_TOKEN_LIMITS } from '@vigil/schema/constants';
import { useState, type FormEvent } from 'react';
import { parseLabelLines } from '@/lib/domain/labels';
import { useCreateEnrollmentToken } from '@/lib/hooks/use-enrollment-tokens';
import { LabelsField } from '../agent-labels/labels-field';
import { ErrorAlert } from '../error-alert';
import { useWriteState } from '../ui/use-write-state';
import { TokenReveal } from './token-reveal';

const { nameLength, minExpiresInDays, maxExpiresInDays, defaultExpiresInDays, maxUses: usesLimit } = ENROLLMENT_TOKEN_LIMITS;

/** A whole number within [min, max] typed in a field, or the sentence that says why not. */
function wholeNumber(text: string, min: number, max: number): number | string {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) return `A whole number from ${min} to ${max}.`;
  return value;
}

/** Two steps in one dialog: describe the token, then see it and its install command once. */
export function CreateTokenDialog({ workspaceId }: { workspaceId: string }) {
  const createToken = useCreateEnrollmentToken();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(defaultExpiresInDays));
  const [unlimited, setUnlimited] = useState(true);
  const [uses, setUses] = useState('10');
  const [labelText, setLabelText] = useState('');
  const { pending, error, run, clearError } = useWriteState();
  const [created, setCreated] = useState<CreateEnrollmentTokenResult | null>(null);

  const nameError = name.trim().length > nameLength ? `At most ${nameLength} characters.` : null;
  const expiresInDays = wholeNumber(days, minExpiresInDays, maxExpiresInDays);
  const maxUses = unlimited ? null : wholeNumber(uses, 1, usesLimit);
  const labels = parseLabelLines(labelText);
  const invalid =
    name.trim() === '' || nameError !== null || typeof expiresInDays === 'string' || typeof maxUses === 'string' || labels.problems.length > 0;

  function reset() {
    setName('');
    setDays(String(defaultExpiresInDays));
    setUnlimited(true);
    setUses('10');
    setLabelText('');
    clearError();
    setCreated(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (invalid || typeof expiresInDays === 'string' || typeof maxUses === 'string') return;
    await run(async () => setCreated(await createToken({ workspaceId, name: name.trim(), expiresInDays, maxUses, labels: labels.labels })));
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
        <Button colorPalette="blue">New token</Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{created ? `Enroll hosts with ${name.trim()}` : 'New enrollment token'}</Dialog.Title>
            </Dialog.Header>
            {created ? (
              <>
                <Dialog.Body>
                  <TokenReveal result={created} />
                </Dialog.Body>
                <Dialog.Footer>
                  <Dialog.ActionTrigger asChild>
                    <Button colorPalette="blue">I have copied the token</Button>
                  </Dialog.ActionTrigger>
                </Dialog.Footer>
              </>
            ) : (
              <form onSubmit={(event) => void submit(event)} aria-label="New enrollment token">
                <Dialog.Body>
                  <Stack gap="4">
                    {error && <ErrorAlert title="Could not create the token" message={error} />}
                    <Field.Root required invalid={nameError !== null}>
                      <Field.Label>
                        Name <Field.RequiredIndicator />
                      </Field.Label>
                      <Input
                        name="name"
                        value={name}
                        onChange={(event) => setName(event.target.value)}
                        placeholder="web servers, December rollout"
                        autoComplete="off"
                      />
                      {nameError ? (
                        <Field.ErrorText>{nameError}</Field.ErrorText>
                      ) : (
                        <Field.HelperText>What the token is for; only you and other admins see it.</Field.HelperText>
                      )}
                    </Field.Root>
                    <Field.Root required invalid={typeof expiresInDays === 'string'}>
                      <Field.Label>
                        Expires after (days) <Field.RequiredIndicator />
                      </Field.Label>
                      <Input
                        name="expiresInDays"
                        type="number"
                        min={minExpiresInDays}
                        max={maxExpiresInDays}
                        value={days}
                        onChange={(event) => setDays(event.target.value)}
                      />
                      {typeof expiresInDays === 'string' ? (
                        <Field.ErrorText>{expiresInDays}</Field.ErrorText>
                      ) : (
                        <Field.HelperText>Hosts cannot enroll with it after that; the agents it enrolled keep working.</Field.HelperText>
                      )}
                    </Field.Root>
                    <Stack gap="2">
                      <Checkbox.Root checked={unlimited} onCheckedChange={(details) => setUnlimited(details.checked === true)}>
                        <Checkbox.HiddenInput />
                        <Checkbox.Control />
                        <Checkbox.Label>Unlimited uses (until it expires or is revoked)</Checkbox.Label>
                      </Checkbox.Root>
                      {!unlimited && (
                        <Field.Root required invalid={typeof maxUses === 'string'}>
                          <Field.Label>Maximum uses</Field.Label>
                          <Input
                            name="maxUses"
                            type="number"
                            min={1}
                            max={usesLimit}
                            value={uses}
                            onChange={(event) => setUses(event.target.value)}
                          />
                          {typeof maxUses === 'string' ? (
                            <Field.ErrorText>{maxUses}</Field.ErrorText>
                          ) : (
                            <Field.HelperText>Each enrollment counts, a host enrolling again too.</Field.HelperText>
                          )}
                        </Field.Root>
                      )}
                    </Stack>
                    <LabelsField value={labelText} onChange={setLabelText} helper="Every host enrolled with this token gets these labels." />
                  </Stack>
                </Dialog.Body>
                <Dialog.Footer>
                  <Dialog.ActionTrigger asChild>
                    <Button variant="outline" disabled={pending}>
                      Cancel
                    </Button>
                  </Dialog.ActionTrigger>
                  <Button type="submit" colorPalette="blue" loading={pending} disabled={invalid}>
                    Create token
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
