import { Button, EmptyState } from '@chakra-ui/react';
import NextLink from 'next/link';

export function NoAccess() {
  return (
    <EmptyState.Root borderWidth="1px" borderRadius="l3" bg="bg">
      <EmptyState.Content>
        <EmptyState.Title as="h1">This workspace is not available</EmptyState.Title>
        <EmptyState.Description>It does not exist, or you are not a member of it. Ask one of its owners to add you.</EmptyState.Description>
        <Button asChild size="sm" variant="outline">
          <NextLink href="/">Go to your workspace</NextLink>
        </Button>
      </EmptyState.Content>
    </EmptyState.Root>
  );
}
