'use client';

import { Button, Dialog, Portal } from '@chakra-ui/react';
import type { RotateAgentKeyResult } from '@vigil/schema';
import { RotationCommandReveal } from './rotation-command-reveal';

/** After "Rotate key": the command that gives the agent's server its new key, once. Closing it is the only way out, by intent. */
export function RotationDialog({ result, title, onClose }: { result: RotateAgentKeyResult | null; title: string; onClose: () => void }) {
  return (
    <Dialog.Root open={result !== null} onOpenChange={(details) => !details.open && onClose()} size={{ mdDown: 'full', md: 'lg' }}>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <Dialog.Header>
              <Dialog.Title>{title}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>{result && <RotationCommandReveal result={result} />}</Dialog.Body>
            <Dialog.Footer>
              <Button colorPalette="blue" onClick={onClose}>
                I have copied the command
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
