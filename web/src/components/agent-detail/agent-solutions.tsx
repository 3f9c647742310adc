import { Table, Text } from '@chakra-ui/react';
import type { AgentStateView } from '@/lib/model/agent-state';
import { dashboardLinks, solutionDisplayName } from '@vigil/schema/constants';
import { solutionHealth, sortSolutionIds } from '@/lib/domain/solution-health';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { HealthBadge } from '../ui/status-badge';

export function AgentSolutions({ workspaceId, agentId, state }: { workspaceId: string; agentId: string; state: AgentStateView }) {
  const ids = sortSolutionIds(state.solutions, solutionDisplayName);
  if (ids.length === 0) {
    return <EmptyPanel title="No security tools found" description="The latest report found none of the solutions Vigil knows on this host." />;
  }
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" data-testid="agent-solutions">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Solution</Table.ColumnHeader>
            <Table.ColumnHeader>Health</Table.ColumnHeader>
            <Table.ColumnHeader>Version</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Tests passing</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Probe errors</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {ids.map((id) => {
            const solution = state.solutions[id]!;
            const passed = solution.tests.filter((test) => test.passed).length;
            return (
              <Table.Row key={id} data-testid="solution-row" data-solution={id}>
                <Table.Cell minW="44">
                  <AppLink href={dashboardLinks.solution(workspaceId, agentId, id)} fontWeight="medium">
                    {solutionDisplayName(id)}
                  </AppLink>
                </Table.Cell>
                <Table.Cell>
                  <HealthBadge health={solutionHealth(solution)} />
                </Table.Cell>
                <Table.Cell wordBreak="break-word">{solution.version ?? '—'}</Table.Cell>
                <Table.Cell textAlign="end">
                  {passed} / {solution.tests.length}
                </Table.Cell>
                <Table.Cell textAlign="end">
                  <Text as="span" color={solution.errors.length ? 'orange.fg' : undefined}>
                    {solution.errors.length}
                  </Text>
                </Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
