'use client';

import { Button, EmptyState } from '@chakra-ui/react';

export function WorkspaceMissing({ onRetry, retrying }: { onRetry: () => void; retrying: boolean }) {
  return (
    <EmptyState.Root borderWidth="1px" borderRadius="l3" bg="bg">
      <EmptyState.Content>
        <EmptyState.Title>No workspace yet</EmptyState.Title>
        <EmptyState.Description>
          Your workspace has not been created, or it was deleted. Retry in a moment.
        </EmptyState.Description>
        <Button size="sm" variant="outline" onClick={onRetry} loading={retrying}>
          Retry
        </Button>
      </EmptyState.Content>
    </EmptyState.Root>
  );
}
