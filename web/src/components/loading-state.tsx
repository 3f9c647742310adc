import { Spinner, Stack, Text } from '@chakra-ui/react';

export function LoadingState({ label }: { label: string }) {
  return (
    <Stack align="center" gap="3" py="10" role="status" aria-live="polite">
      <Spinner size="lg" color="colorPalette.500" colorPalette="blue" />
      <Text color="fg.muted">{label}</Text>
    </Stack>
  );
}
