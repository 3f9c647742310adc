'use client';

import { Button, Flex, Stack, Text } from '@chakra-ui/react';
import { useMemo, useState } from 'react';
import { filterAgents, NO_FILTERS, solutionsInUse } from '@/lib/domain/agent-filters';
import { describeError } from '@/lib/text/error-message';
import { plural } from '@/lib/text/format';
import { useAgents } from '@/lib/hooks/use-agents';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { AgentsFilters } from './agents-filters';
import { AgentsTable } from './agents-table';
import { CreateAgentDialog } from '../agent-management/create-agent-dialog';

const PAGE = 100;

export function AgentsScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const agents = useAgents(ws);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [shown, setShown] = useState(PAGE);
  const solutions = useMemo(() => solutionsInUse(agents.data ?? []), [agents.data]);
  const matching = useMemo(() => filterAgents(agents.data ?? [], filters), [agents.data, filters]);

  return (
    <Stack gap="6">
      <PageHeader
        eyebrow={session.workspace.name}
        title="Agents"
        description="Each agent runs on one server and reports the state of its security tools."
        actions={session.canManage ? <CreateAgentDialog workspaceId={ws} /> : undefined}
      />
      {agents.error ? (
        <ErrorAlert title="Could not load the agents" message={describeError(agents.error)} />
      ) : !agents.data ? (
        <LoadingState label="Loading the agents…" />
      ) : agents.data.length === 0 ? (
        <EmptyPanel
          title="No agents yet"
          description={
            session.canManage
              ? 'Create an agent for each server: you get a key and a one-line install command.'
              : 'An owner or admin of this workspace can create agents.'
          }
        />
      ) : (
        <Stack gap="4">
          <AgentsFilters
            filters={filters}
            solutions={solutions}
            onChange={(next) => {
              setFilters(next);
              setShown(PAGE);
            }}
          />
          <Text textStyle="sm" color="fg.muted" aria-live="polite">
            {matching.length === agents.data.length
              ? plural(agents.data.length, 'agent')
              : `${matching.length} of ${plural(agents.data.length, 'agent')} match`}
          </Text>
          {matching.length === 0 ? (
            <EmptyPanel title="No agent matches" description="Change the search or the filters." />
          ) : (
            <AgentsTable workspaceId={ws} agents={matching.slice(0, shown)} canManage={session.canManage} />
          )}
          {matching.length > shown && (
            <Flex justify="center">
              <Button variant="outline" onClick={() => setShown(shown + PAGE)}>
                Show {Math.min(PAGE, matching.length - shown)} more
              </Button>
            </Flex>
          )}
        </Stack>
      )}
    </Stack>
  );
}
