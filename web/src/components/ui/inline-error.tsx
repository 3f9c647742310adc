import { Text } from '@chakra-ui/react';

/** A failed action's sentence beside its button, read out by screen readers. */
export function InlineError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Text textStyle="sm" color="red.fg" role="alert">
      {message}
    </Text>
  );
}
