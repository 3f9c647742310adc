'use client';

import { Checkbox, Field, Flex, Input, NativeSelect } from '@chakra-ui/react';
import { isLabelQuery, type AgentFilters, type StatusFilter } from '@/lib/domain/agent-filters';
import { parseLabelFilter } from '@/lib/domain/labels';
import { SOLUTION_CATALOG, solutionDisplayName } from '@vigil/schema/constants';

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'Any status' },
  { value: 'online', label: 'Online' },
  { value: 'offline', label: 'Offline' },
  { value: 'never-seen', label: 'Never seen' },
  { value: 'revoked', label: 'Revoked' },
];

interface AgentsFiltersProps {
  filters: AgentFilters;
  onChange: (filters: AgentFilters) => void;
}

/** The list's filters, as typed (the screen waits for a pause in the search before it queries). */
export function AgentsFilters({ filters, onChange }: AgentsFiltersProps) {
  const set = (patch: Partial<AgentFilters>) => onChange({ ...filters, ...patch });
  const solutions = Object.keys(SOLUTION_CATALOG);
  const label = parseLabelFilter(filters.label);
  // A label query cannot also take a name prefix, failing tests or "revoked" (agent-filters.ts, isLabelQuery): those are off meanwhile.
  const byLabel = isLabelQuery(filters);
  return (
    <Flex role="search" aria-label="Filter agents" gap="3" wrap="wrap" align="flex-end">
      <Field.Root flex="1" minW={{ base: 'full', sm: '60' }}>
        <Field.Label>Name starts with</Field.Label>
        <Input
          type="search"
          placeholder="web-1…"
          value={filters.search}
          disabled={byLabel}
          onChange={(event) => set({ search: event.target.value })}
        />
        <Field.HelperText>{byLabel ? 'Not with a label filter.' : 'Upper and lower case count, as the name was typed.'}</Field.HelperText>
      </Field.Root>
      <Field.Root w={{ base: 'full', sm: '56' }} invalid={'problem' in label}>
        <Field.Label>Label</Field.Label>
        <Input
          type="search"
          name="label"
          placeholder="env=prod"
          fontFamily="mono"
          value={filters.label}
          onChange={(event) => set({ label: event.target.value })}
          autoComplete="off"
          spellCheck={false}
        />
        {'problem' in label ? (
          <Field.ErrorText>{label.problem}</Field.ErrorText>
        ) : (
          <Field.HelperText>{byLabel ? 'In no set order; with a status or solution at most.' : 'One key=value.'}</Field.HelperText>
        )}
      </Field.Root>
      <Field.Root w={{ base: 'full', sm: '44' }}>
        <Field.Label>Status</Field.Label>
        <NativeSelect.Root>
          <NativeSelect.Field
            value={byLabel && filters.status === 'revoked' ? 'all' : filters.status}
            onChange={(event) => set({ status: event.currentTarget.value as StatusFilter })}
          >
            {STATUS_OPTIONS.map((option) => (
              <option key={option.value} value={option.value} disabled={byLabel && option.value === 'revoked'}>
                {option.label}
              </option>
            ))}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      </Field.Root>
      <Field.Root w={{ base: 'full', sm: '52' }}>
        <Field.Label>Solution</Field.Label>
        <NativeSelect.Root>
          <NativeSelect.Field value={filters.solution} onChange={(event) => set({ solution: event.currentTarget.value })}>
            <option value="">Any solution</option>
            {solutions.map((id) => (
              <option key={id} value={id}>
                {solutionDisplayName(id)}
              </option>
            ))}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
      </Field.Root>
      <Checkbox.Root
        checked={filters.failingOnly && !byLabel}
        disabled={byLabel}
        onCheckedChange={(details) => set({ failingOnly: details.checked === true })}
        pb="2"
      >
        <Checkbox.HiddenInput />
        <Checkbox.Control />
        <Checkbox.Label>Failing tests only</Checkbox.Label>
      </Checkbox.Root>
    </Flex>
  );
}
