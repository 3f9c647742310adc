import { Box, Flex, Text } from '@chakra-ui/react';
import { CopyButton } from './copy-button';

/** A value to copy (a key, a command): wraps anywhere, so it never widens the page. */
export function CodeBlock({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box>
      <Flex justify="space-between" align="center" mb="1" gap="2">
        <Text textStyle="sm" fontWeight="medium">
          {label}
        </Text>
        <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
      </Flex>
      <Box
        as="pre"
        data-testid={testId}
        fontFamily="mono"
        textStyle="sm"
        bg="bg.muted"
        borderRadius="l2"
        px="3"
        py="2"
        whiteSpace="pre-wrap"
        overflowWrap="anywhere"
      >
        {value}
      </Box>
    </Box>
  );
}
