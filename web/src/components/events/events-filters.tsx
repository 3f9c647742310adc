'use client';

import { Button, Field, Flex, NativeSelect } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import type { EventFilters } from '@/lib/data/events';
import { EVENT_KIND_LABELS, EVENT_KINDS, SOLUTION_CATALOG, solutionDisplayName } from '@vigil/schema/constants';
import { AgentSearchField } from './agent-search-field';

interface EventsFiltersProps {
  workspaceId: string;
  filters: EventFilters;
  onChange: (filters: EventFilters) => void;
}

function Select({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <Field.Root w={{ base: 'full', sm: '56' }}>
      <Field.Label>{label}</Field.Label>
      <NativeSelect.Root>
        <NativeSelect.Field value={value} onChange={(event) => onChange(event.currentTarget.value)}>
          {children}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
    </Field.Root>
  );
}

export function EventsFilters({ workspaceId, filters, onChange }: EventsFiltersProps) {
  const solutions = Object.keys(SOLUTION_CATALOG);
  if (filters.solutionId && !solutions.includes(filters.solutionId)) solutions.push(filters.solutionId);
  const active = Boolean(filters.kind || filters.agentId || filters.solutionId);
  return (
    <Flex role="search" aria-label="Filter events" gap="3" wrap="wrap" align="flex-end">
      <Select
        label="Kind"
        value={filters.kind ?? ''}
        onChange={(kind) => onChange({ ...filters, kind: (kind || undefined) as EventFilters['kind'] })}
      >
        <option value="">Every kind</option>
        {EVENT_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {EVENT_KIND_LABELS[kind]}
          </option>
        ))}
      </Select>
      <AgentSearchField workspaceId={workspaceId} agentId={filters.agentId} onChange={(agentId) => onChange({ ...filters, agentId })} />
      <Select
        label="Solution"
        value={filters.solutionId ?? ''}
        onChange={(solutionId) => onChange({ ...filters, solutionId: solutionId || undefined })}
      >
        <option value="">Every solution</option>
        {solutions.map((id) => (
          <option key={id} value={id}>
            {solutionDisplayName(id)}
          </option>
        ))}
      </Select>
      {active && (
        <Button variant="ghost" size="sm" onClick={() => onChange({})} mb="1">
          Clear filters
        </Button>
      )}
    </Flex>
  );
}
