'use client';

import { Button, Flex, Stack, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import NextLink from 'next/link';
import { useState } from 'react';
import type { AgentsCursor } from '@/lib/data/agents';
import { AGENTS_PAGE_SIZE, filtersKey, isFiltered, NO_FILTERS } from '@/lib/domain/agent-filters';
import { describeError } from '@/lib/text/error-message';
import { plural } from '@/lib/text/format';
import { useAgentsCount, useAgentsPage } from '@/lib/hooks/use-agents';
import { useDebounced } from '@/lib/hooks/use-debounced';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { AgentsFilters } from './agents-filters';
import { AgentsTable } from './agents-table';
import { CreateAgentDialog } from '../agent-management/create-agent-dialog';

/** Where the list is: the cursors of the pages before this one (empty on page one), for the filters named by `filters` (filtersKey). */
interface ListPosition {
  filters: string;
  cursors: AgentsCursor[];
}

function countLine(count: number | undefined, filtered: boolean): string {
  if (count === undefined) return '';
  return filtered ? `${plural(count, 'agent')} match` : plural(count, 'agent');
}

export function AgentsScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const [typed, setTyped] = useState(NO_FILTERS);
  // The search and the label query once typing pauses; the other filters apply at once.
  const search = useDebounced(typed.search);
  const label = useDebounced(typed.label);
  const filters = { ...typed, search, label };
  const [position, setPosition] = useState<ListPosition>({ filters: filtersKey(NO_FILTERS), cursors: [] });
  // Other filters start again at page one.
  const cursors = position.filters === filtersKey(filters) ? position.cursors : [];
  const moveTo = (pages: AgentsCursor[]) => setPosition({ filters: filtersKey(filters), cursors: pages });
  const page = useAgentsPage(ws, filters, cursors.at(-1) ?? null);
  const count = useAgentsCount(ws, filters);
  const filtered = isFiltered(filters);
  const pageNumber = cursors.length + 1;
  const firstShown = cursors.length * AGENTS_PAGE_SIZE + 1;
  const error = page.error ?? count.error;

  const header = (
    <PageHeader
      eyebrow={session.workspace.name}
      title="Agents"
      description="Each agent runs on one server and reports the state of its security tools."
      actions={
        session.canManage ? (
          <>
            <Button asChild variant="outline">
              <NextLink href={dashboardLinks.enrollment(ws)}>Enrollment tokens</NextLink>
            </Button>
            <CreateAgentDialog workspaceId={ws} />
          </>
        ) : undefined
      }
    />
  );
  if (error)
    return (
      <Stack gap="6">
        {header}
        <ErrorAlert title="Could not load the agents" message={describeError(error)} />
      </Stack>
    );
  if (!page.data) {
    return (
      <Stack gap="6">
        {header}
        <LoadingState label="Loading the agents…" />
      </Stack>
    );
  }
  if (!filtered && cursors.length === 0 && page.data.agents.length === 0) {
    return (
      <Stack gap="6">
        {header}
        <EmptyPanel
          title="No agents yet"
          description={
            session.canManage
              ? 'Create an agent for one server (you get its key and a one-line install command), or an enrollment token whose one command enrolls many.'
              : 'An owner or admin of this workspace can create agents.'
          }
        />
      </Stack>
    );
  }
  const shown = page.data.agents;
  const next = page.data.next;

  return (
    <Stack gap="6">
      {header}
      <Stack gap="4">
        <AgentsFilters filters={typed} onChange={setTyped} />
        <Text textStyle="sm" color="fg.muted" aria-live="polite" data-testid="agents-count">
          {countLine(count.data, filtered)}
          {shown.length > 0 && (pageNumber > 1 || next) ? ` · showing ${firstShown}–${firstShown + shown.length - 1}` : ''}
        </Text>
        {shown.length === 0 ? (
          <EmptyPanel title="No agent matches" description="Change the search or the filters." />
        ) : (
          <AgentsTable workspaceId={ws} agents={shown} canManage={session.canManage} />
        )}
        {(cursors.length > 0 || next) && (
          <Flex justify="center" gap="3" role="navigation" aria-label="Pages of agents">
            <Button variant="outline" disabled={cursors.length === 0} onClick={() => moveTo(cursors.slice(0, -1))}>
              Previous page
            </Button>
            <Button variant="outline" disabled={!next} onClick={() => next && moveTo([...cursors, next])}>
              Next page
            </Button>
          </Flex>
        )}
      </Stack>
    </Stack>
  );
}
