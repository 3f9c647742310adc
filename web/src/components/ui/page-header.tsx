import { Flex, Heading, Stack, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: ReactNode;
  /** Small text above the title: where this page sits (a workspace, an agent). */
  eyebrow?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  titleTestId?: string;
}

export function PageHeader({ title, eyebrow, description, actions, titleTestId }: PageHeaderProps) {
  return (
    <Flex justify="space-between" align={{ base: 'stretch', md: 'flex-end' }} gap="4" wrap="wrap" direction={{ base: 'column', md: 'row' }}>
      <Stack gap="1" minW="0">
        {eyebrow && (
          <Text color="fg.muted" textStyle="sm" minW="0" wordBreak="break-word">
            {eyebrow}
          </Text>
        )}
        <Heading as="h1" size="2xl" wordBreak="break-word" data-testid={titleTestId}>
          {title}
        </Heading>
        {description && (
          <Text color="fg.muted" wordBreak="break-word">
            {description}
          </Text>
        )}
      </Stack>
      {actions && (
        <Flex gap="2" wrap="wrap" flexShrink={0}>
          {actions}
        </Flex>
      )}
    </Flex>
  );
}
