'use client';

import { Stack, Table, Text } from '@chakra-ui/react';
import type { AgentView } from '@/lib/model/agent';
import { dashboardLinks } from '@vigil/schema/constants';
import { AppLink } from '../ui/app-link';
import { RelativeTime } from '../ui/relative-time';
import { AgentStatusBadge } from '../ui/status-badge';
import { AgentActions } from '../agent-management/agent-actions';
import { LabelChips } from '../agent-labels/label-chips';
import { AgentVersionCell, KeyRotationMarker } from './agent-markers';

interface AgentsTableProps {
  workspaceId: string;
  agents: AgentView[];
  canManage: boolean;
}

export function AgentsTable({ workspaceId, agents, canManage }: AgentsTableProps) {
  return (
    <Table.ScrollArea borderWidth="1px" borderRadius="l2" bg="bg">
      <Table.Root size="sm" data-testid="agents-table">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Agent</Table.ColumnHeader>
            <Table.ColumnHeader>Status</Table.ColumnHeader>
            <Table.ColumnHeader>Last seen</Table.ColumnHeader>
            <Table.ColumnHeader>OS</Table.ColumnHeader>
            <Table.ColumnHeader>Agent version</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Failing tests</Table.ColumnHeader>
            {canManage && <Table.ColumnHeader>Manage</Table.ColumnHeader>}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {agents.map((agent) => (
            <Table.Row key={agent.id} data-testid="agent-row">
              <Table.Cell minW="48" maxW="80">
                <Stack gap="0">
                  <AppLink href={dashboardLinks.agent(workspaceId, agent.id)} fontWeight="medium" wordBreak="break-word">
                    {agent.name}
                  </AppLink>
                  {(agent.host?.hostname || agent.description) && (
                    <Text textStyle="xs" color="fg.muted" wordBreak="break-word" lineClamp={2}>
                      {[agent.host?.hostname, agent.description].filter(Boolean).join(' · ')}
                    </Text>
                  )}
                  <LabelChips labels={agent.labels} testId="agent-row-labels" />
                </Stack>
              </Table.Cell>
              <Table.Cell>
                <Stack gap="1" align="flex-start">
                  <AgentStatusBadge agent={agent} />
                  <KeyRotationMarker agent={agent} />
                </Stack>
              </Table.Cell>
              <Table.Cell whiteSpace="nowrap">
                <RelativeTime date={agent.lastSeenAt} />
              </Table.Cell>
              <Table.Cell minW="40" wordBreak="break-word">
                {agent.host?.os ?? '—'}
              </Table.Cell>
              <Table.Cell>
                <AgentVersionCell agent={agent} />
              </Table.Cell>
              <Table.Cell
                textAlign="end"
                color={agent.testsFailed > 0 ? 'red.fg' : undefined}
                fontWeight={agent.testsFailed > 0 ? 'semibold' : undefined}
              >
                {agent.testsFailed}
              </Table.Cell>
              {canManage && (
                <Table.Cell>
                  <AgentActions workspaceId={workspaceId} agent={agent} />
                </Table.Cell>
              )}
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
