import { Card, Stat } from '@chakra-ui/react';
import type { ReactNode } from 'react';

interface StatTileProps {
  label: string;
  value: ReactNode;
  help?: ReactNode;
  testId?: string;
}

export function StatTile({ label, value, help, testId }: StatTileProps) {
  return (
    <Card.Root size="sm" data-testid={testId}>
      <Card.Body>
        <Stat.Root>
          <Stat.Label>{label}</Stat.Label>
          <Stat.ValueText>{value}</Stat.ValueText>
          {help && <Stat.HelpText>{help}</Stat.HelpText>}
        </Stat.Root>
      </Card.Body>
    </Card.Root>
  );
}
