'use client';

import { Button, Dialog, Portal, Stack } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useWriteState } from './use-write-state';
import { ErrorAlert } from '../error-alert';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Red for what cannot be undone. */
  destructive?: boolean;
  onConfirm: () => Promise<void>;
}

/** Asks before an action; stays open with the error when the action fails. */
export function ConfirmDialog({ open, onOpenChange, title, children, confirmLabel, destructive = false, onConfirm }: ConfirmDialogProps) {
  const { pending, error, run, clearError } = useWriteState();

  async function confirm() {
    await run(async () => {
      await onConfirm();
      onOpenChange(false);
    });
  }

  return (
    <Dialog.Root
      role="alertdialog"
      open={open}
      onOpenChange={(details) => {
        if (!pending) onOpenChange(details.open);
        if (!details.open) clearError();
      }}
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content mx="4">
            <Dialog.Header>
              <Dialog.Title>{title}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="4">
                <Dialog.Description asChild>
                  <div>{children}</div>
                </Dialog.Description>
                {error && <ErrorAlert title={`Could not ${confirmLabel.toLowerCase()}`} message={error} />}
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.ActionTrigger asChild>
                <Button variant="outline" disabled={pending}>
                  Cancel
                </Button>
              </Dialog.ActionTrigger>
              <Button colorPalette={destructive ? 'red' : 'blue'} onClick={() => void confirm()} loading={pending}>
                {confirmLabel}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
