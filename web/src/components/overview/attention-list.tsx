import { Flex, Stack, Text } from '@chakra-ui/react';
import type { AgentView } from '@/lib/model/agent';
import { dashboardLinks } from '@vigil/schema/constants';
import { plural } from '@/lib/text/format';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { AgentStatusBadge } from '../ui/status-badge';

export function AttentionList({ workspaceId, agents }: { workspaceId: string; agents: AgentView[] }) {
  if (agents.length === 0) return <EmptyPanel title="Nothing failing" description="Every test on every agent passed in its latest report." />;
  return (
    <Stack as="ul" gap="0" listStyleType="none">
      {agents.map((agent) => (
        <Flex as="li" key={agent.id} justify="space-between" gap="3" py="2" borderBottomWidth="1px" _last={{ borderBottomWidth: 0 }} wrap="wrap">
          <AppLink href={dashboardLinks.agent(workspaceId, agent.id)} fontWeight="medium" wordBreak="break-word" minW="0">
            {agent.name}
          </AppLink>
          <Flex gap="2" align="center">
            <Text textStyle="sm" color="red.fg">
              {plural(agent.testsFailed, 'failing test')}
            </Text>
            <AgentStatusBadge agent={agent} />
          </Flex>
        </Flex>
      ))}
    </Stack>
  );
}
