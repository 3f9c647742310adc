'use client';

import { DataList, Stack, Text } from '@chakra-ui/react';
import { SERVED_AGENT_VERSION } from '@/lib/config/served-agent-version';
import { attemptText, updateMarkers, updatePolicyText } from '@/lib/domain/agent-update';
import type { AgentView } from '@/lib/model/agent';
import { AgentVersionCell } from '../agent-list/agent-markers';
import { FactItem } from '../ui/fact-item';
import { RelativeTime } from '../ui/relative-time';

/**
 * The agent's version against the one this dashboard serves, its update policy (from its config,
 * as its newest report said) and its last update attempt with the agent's reason, shown as text.
 */
export function AgentVersion({ agent }: { agent: AgentView }) {
  const served = SERVED_AGENT_VERSION;
  const why = served ? updateMarkers(agent, served) : [];
  const last = agent.update?.last ?? null;
  return (
    <Stack gap="3" data-testid="agent-version">
      <DataList.Root orientation="horizontal" size="sm">
        <FactItem label="Running">
          <AgentVersionCell agent={agent} />
        </FactItem>
        <FactItem label="Served by the dashboard">{served ?? 'unknown'}</FactItem>
        <FactItem label="Automatic updates">
          <Text as="span" data-testid="update-policy">
            {agent.agentVersion === null ? 'not reported yet' : updatePolicyText(agent.update)}
          </Text>
        </FactItem>
        <FactItem label="Last update">
          {last ? (
            <Text as="span" data-testid="update-last">
              {attemptText(last)}
              {last.at && (
                <>
                  {' ('}
                  <RelativeTime date={last.at} />
                  {')'}
                </>
              )}
            </Text>
          ) : (
            'none reported'
          )}
        </FactItem>
      </DataList.Root>
      {why.length > 0 && (
        <Text textStyle="sm" color="fg.muted" data-testid="update-why">
          {why.map((marker) => marker.description).join(' ')}
        </Text>
      )}
    </Stack>
  );
}
