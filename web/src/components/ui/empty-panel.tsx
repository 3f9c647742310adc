import { EmptyState } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export function EmptyPanel({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState.Root borderWidth="1px" borderStyle="dashed" borderRadius="l3" bg="bg" size="sm">
      <EmptyState.Content>
        <EmptyState.Title>{title}</EmptyState.Title>
        {description && <EmptyState.Description>{description}</EmptyState.Description>}
        {action}
      </EmptyState.Content>
    </EmptyState.Root>
  );
}
