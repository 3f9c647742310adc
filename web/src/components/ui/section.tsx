import { Card, Flex, Heading } from '@chakra-ui/react';
import { useId, type ReactNode } from 'react';

interface SectionProps {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  testId?: string;
}

/** A titled card; the title names the region for screen readers. */
export function Section({ title, children, actions, testId }: SectionProps) {
  const headingId = useId();
  return (
    <Card.Root as="section" aria-labelledby={headingId} data-testid={testId} minW="0" size={{ base: 'sm', md: 'md' }}>
      <Card.Header>
        <Flex justify="space-between" align="center" gap="3" wrap="wrap">
          <Heading as="h2" size="md" id={headingId}>
            {title}
          </Heading>
          {actions}
        </Flex>
      </Card.Header>
      <Card.Body minW="0">{children}</Card.Body>
    </Card.Root>
  );
}
