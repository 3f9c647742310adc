'use client';

import { Button, Field, Flex, NativeSelect } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { isEventsFiltered, type EventFilters } from '@/lib/domain/event-filters';
import { EVENT_KIND_LABELS, EVENT_KINDS, SOLUTION_CATALOG, solutionDisplayName } from '@vigil/schema/constants';
import { AgentSearchField } from './agent-search-field';
import { LabelFilterField } from './label-filter-field';

interface EventsFiltersProps {
  workspaceId: string;
  filters: EventFilters;
  onChange: (filters: EventFilters) => void;
}

interface SelectProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  disabled?: boolean;
  hint?: string;
}

function Select({ label, value, onChange, children, disabled = false, hint }: SelectProps) {
  return (
    <Field.Root w={{ base: 'full', sm: '56' }} disabled={disabled}>
      <Field.Label>{label}</Field.Label>
      <NativeSelect.Root>
        <NativeSelect.Field value={value} onChange={(event) => onChange(event.currentTarget.value)}>
          {children}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      {hint && <Field.HelperText>{hint}</Field.HelperText>}
    </Field.Root>
  );
}

export function EventsFilters({ workspaceId, filters, onChange }: EventsFiltersProps) {
  const solutions = Object.keys(SOLUTION_CATALOG);
  if (filters.solutionId && !solutions.includes(filters.solutionId)) solutions.push(filters.solutionId);
  const active = isEventsFiltered(filters);
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
      {/* One array-contains per query (domain/event-filters.ts): a label and a solution exclude each other. */}
      <Select
        label="Solution"
        value={filters.solutionId ?? ''}
        onChange={(solutionId) => onChange({ ...filters, solutionId: solutionId || undefined })}
        disabled={Boolean(filters.label) && !filters.solutionId}
        hint={filters.label && !filters.solutionId ? 'Not with a label filter.' : undefined}
      >
        <option value="">Every solution</option>
        {solutions.map((id) => (
          <option key={id} value={id}>
            {solutionDisplayName(id)}
          </option>
        ))}
      </Select>
      {/* Keyed by the applied label, so a change from outside (Clear filters, a link) drops what was being typed. */}
      <LabelFilterField
        key={filters.label ?? ''}
        label={filters.label}
        solutionChosen={Boolean(filters.solutionId)}
        onChange={(label) => onChange({ ...filters, label })}
      />
      {active && (
        <Button variant="ghost" size="sm" onClick={() => onChange({})} mb="1">
          Clear filters
        </Button>
      )}
    </Flex>
  );
}
