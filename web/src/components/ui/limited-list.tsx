'use client';

import { Button, Stack } from '@chakra-ui/react';
import { useState, type ReactNode } from 'react';

/** The first `limit` items, and a button for the rest: one event can list dozens of tests. */
interface LimitedListProps {
  items: ReactNode[];
  limit?: number;
  gap?: string;
  as?: 'ul' | 'ol' | 'div';
  testId?: string;
}

export function LimitedList({ items, limit = 5, gap = '2', as = 'ul', testId }: LimitedListProps) {
  const [open, setOpen] = useState(false);
  const shown = open ? items : items.slice(0, limit);
  return (
    <Stack gap={gap} align="flex-start">
      <Stack as={as} gap={gap} listStyleType="none" w="full" data-testid={testId}>
        {shown}
      </Stack>
      {items.length > limit && (
        <Button size="xs" variant="ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Show fewer' : `Show all ${items.length}`}
        </Button>
      )}
    </Stack>
  );
}
