import { Card, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';

interface StatTileProps {
  label: string;
  value: ReactNode;
  help?: ReactNode;
  testId?: string;
}

/** A figure with its label; plain text, so screen readers read label, value, help in order. */
export function StatTile({ label, value, help, testId }: StatTileProps) {
  return (
    <Card.Root size="sm" data-testid={testId}>
      <Card.Body gap="1">
        <Text textStyle="sm" color="fg.muted">
          {label}
        </Text>
        <Text textStyle="2xl" fontWeight="semibold" lineHeight="short">
          {value}
        </Text>
        {help && (
          <Text textStyle="xs" color="fg.muted">
            {help}
          </Text>
        )}
      </Card.Body>
    </Card.Root>
  );
}
