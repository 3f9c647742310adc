import { Alert } from '@chakra-ui/react';

/** Said once an invitation went out; an address is one long word, so it may break anywhere on a phone. */
export function MembersNote({ message }: { message: string }) {
  return (
    <Alert.Root status="success" role="status" size="sm" minW="0">
      <Alert.Indicator />
      <Alert.Title wordBreak="break-word" minW="0">
        {message}
      </Alert.Title>
    </Alert.Root>
  );
}
