'use client';

import { Button, Stack } from '@chakra-ui/react';
import { useState, type ReactNode } from 'react';

/** The first `limit` items, and a button for the rest: one event can list dozens of tests. */
export function LimitedList({ items, limit = 5, gap = '2', as = 'ul' }: { items: ReactNode[]; limit?: number; gap?: string; as?: 'ul' | 'div' }) {
  const [open, setOpen] = useState(false);
  const shown = open ? items : items.slice(0, limit);
  return (
    <Stack gap={gap} align="flex-start">
      <Stack as={as} gap={gap} listStyleType="none" w="full">
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
