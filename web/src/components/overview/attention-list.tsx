import { Flex, Stack, Text } from '@chakra-ui/react';
import type { AttentionAgentView } from '@/lib/model/fleet-summary';
import { dashboardLinks } from '@vigil/schema/constants';
import { plural } from '@/lib/text/format';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { RelativeTime } from '../ui/relative-time';
import { AgentStatusBadge } from '../ui/status-badge';

/** The summary's agents needing attention: failing tests first (most first), then offline ones. */
export function AttentionList({ workspaceId, agents }: { workspaceId: string; agents: AttentionAgentView[] }) {
  if (agents.length === 0) {
    return <EmptyPanel title="Nothing needs attention" description="Every agent is reporting, and every test passed in its latest report." />;
  }
  return (
    <Stack as="ul" gap="0" listStyleType="none" data-testid="attention-list">
      {agents.map((agent) => (
        <Flex as="li" key={agent.id} justify="space-between" gap="3" py="2" borderBottomWidth="1px" _last={{ borderBottomWidth: 0 }} wrap="wrap">
          <AppLink href={dashboardLinks.agent(workspaceId, agent.id)} fontWeight="medium" wordBreak="break-word" minW="0">
            {agent.name}
          </AppLink>
          <Flex gap="2" align="center">
            {agent.testsFailed > 0 ? (
              <Text textStyle="sm" color="red.fg">
                {plural(agent.testsFailed, 'failing test')}
              </Text>
            ) : (
              <Text textStyle="sm" color="fg.muted">
                last seen <RelativeTime date={agent.lastSeenAt} />
              </Text>
            )}
            {/* The summary never lists a revoked agent. */}
            <AgentStatusBadge agent={{ status: agent.status, revokedAt: null }} />
          </Flex>
        </Flex>
      ))}
    </Stack>
  );
}
