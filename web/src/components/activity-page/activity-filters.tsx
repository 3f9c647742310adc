'use client';

import { Button, Field, Flex, Input, NativeSelect } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { isAuditFiltered, type AuditFilters } from '@/lib/domain/audit-filters';
import { useMembers } from '@/lib/hooks/use-members';
import { AUDIT_ACTION_LABELS } from '@/lib/text/audit-text';
import { AUDIT_ACTIONS } from '@vigil/schema/constants';
import { AgentSearchField } from '../events/agent-search-field';

interface ActivityFiltersProps {
  workspaceId: string;
  filters: AuditFilters;
  onChange: (filters: AuditFilters) => void;
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

function Day({ label, value, onChange }: { label: string; value: string | undefined; onChange: (day: string | undefined) => void }) {
  return (
    <Field.Root w={{ base: 'full', sm: '44' }}>
      <Field.Label>{label}</Field.Label>
      <Input type="date" value={value ?? ''} onChange={(event) => onChange(event.currentTarget.value || undefined)} />
    </Field.Root>
  );
}

export function ActivityFilters({ workspaceId, filters, onChange }: ActivityFiltersProps) {
  // The person filter offers the workspace's members (the Members page's read, shared in the cache).
  const people = useMembers(workspaceId).data;
  // A person from a link who is no longer a member (their entries stay) is still offered, by uid.
  const chosenIsListed = !filters.actorUid || (people ?? []).some((person) => person.uid === filters.actorUid);
  return (
    <Flex role="search" aria-label="Filter activity" gap="3" wrap="wrap" align="flex-end">
      <Select label="Person" value={filters.actorUid ?? ''} onChange={(uid) => onChange({ ...filters, actorUid: uid || undefined })}>
        <option value="">Everyone</option>
        {(people ?? []).map((person) => (
          <option key={person.uid} value={person.uid}>
            {person.email ?? person.uid}
          </option>
        ))}
        {!chosenIsListed && <option value={filters.actorUid}>{people ? `${filters.actorUid} (not a member now)` : 'Loading…'}</option>}
      </Select>
      <Select
        label="Action"
        value={filters.action ?? ''}
        onChange={(action) => onChange({ ...filters, action: (action || undefined) as AuditFilters['action'] })}
      >
        <option value="">Every action</option>
        {AUDIT_ACTIONS.map((action) => (
          <option key={action} value={action}>
            {AUDIT_ACTION_LABELS[action]} ({action})
          </option>
        ))}
      </Select>
      <AgentSearchField workspaceId={workspaceId} agentId={filters.agentId} onChange={(agentId) => onChange({ ...filters, agentId })} />
      <Day label="From" value={filters.from} onChange={(from) => onChange({ ...filters, from })} />
      <Day label="To (inclusive)" value={filters.to} onChange={(to) => onChange({ ...filters, to })} />
      {isAuditFiltered(filters) && (
        <Button variant="ghost" size="sm" onClick={() => onChange({})} mb="1">
          Clear filters
        </Button>
      )}
    </Flex>
  );
}
