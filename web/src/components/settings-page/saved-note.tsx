import { Alert } from '@chakra-ui/react';

/** Said once a save went through; announced to screen readers. */
export function SavedNote({ message }: { message: string }) {
  return (
    <Alert.Root status="success" role="status" size="sm" width="auto">
      <Alert.Indicator />
      <Alert.Title>{message}</Alert.Title>
    </Alert.Root>
  );
}
