'use client';

import { Button, Grid, Stack } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useSearchParams } from 'next/navigation';
import { describeError } from '@/lib/text/error-message';
import { useAgent, useAgentState } from '@/lib/hooks/use-agents';
import { dashboardLinks } from '@vigil/schema/constants';
import { AgentActions } from '../agent-management/agent-actions';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { Section } from '../ui/section';
import { AgentFacts } from './agent-facts';
import { AgentHealth } from './agent-health';
import { AgentSolutions } from './agent-solutions';
import { AgentVersion } from './agent-version';
import { KeyRotationNotice } from './key-rotation-notice';
import { ReportTimeline } from './report-timeline';

export function AgentScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const agentId = useSearchParams().get('agent');
  const agent = useAgent(ws, agentId);
  const state = useAgentState(ws, agentId);

  if (!agentId)
    return <EmptyPanel title="No agent chosen" description={<AppLink href={dashboardLinks.agents(ws)}>Pick one from the agents list.</AppLink>} />;
  if (agent.error) return <ErrorAlert title="Could not load the agent" message={describeError(agent.error)} />;
  if (agent.data === undefined) return <LoadingState label="Loading the agent…" />;
  if (agent.data === null) {
    return <EmptyPanel title="This agent does not exist" description={<AppLink href={dashboardLinks.agents(ws)}>Back to the agents</AppLink>} />;
  }
  const current = agent.data;

  return (
    <Stack gap="6">
      <PageHeader
        eyebrow={<AppLink href={dashboardLinks.agents(ws)}>Agents</AppLink>}
        title={current.name}
        titleTestId="agent-name"
        description={current.description || undefined}
        actions={
          <>
            <Button asChild size="xs" variant="outline">
              <NextLink href={dashboardLinks.events(ws, { agent: current.id })}>Events of this agent</NextLink>
            </Button>
            {session.canManage && <AgentActions workspaceId={ws} agent={current} afterDelete="agents" />}
          </>
        }
      />
      <KeyRotationNotice agent={current} />
      <Grid templateColumns={{ base: '1fr', lg: '2fr 3fr' }} gap="6" alignItems="start">
        <Stack gap="6">
          <Section title="Host and agent">
            <AgentFacts agent={current} />
          </Section>
          <Section title="Agent version" testId="agent-version-section">
            <AgentVersion agent={current} />
          </Section>
          <Section title="Agent health">
            <AgentHealth health={current.health} clockSkewSeconds={current.clockSkewSeconds} />
          </Section>
        </Stack>
        <Section title="Security tools">
          {state.error ? (
            <ErrorAlert title="Could not load the agent's state" message={describeError(state.error)} />
          ) : state.data === undefined ? (
            <LoadingState label="Loading its state…" />
          ) : state.data === null ? (
            <EmptyPanel
              title="No report yet"
              description={
                current.lastSeenAt ? 'Its first report is being processed.' : 'Install the agent on the server: its first report shows up here.'
              }
            />
          ) : (
            <AgentSolutions workspaceId={ws} agentId={current.id} state={state.data} />
          )}
        </Section>
      </Grid>
      <Section title="Changes and checkpoints">
        {state.data === undefined ? (
          state.error ? null : (
            <LoadingState label="Loading the history…" />
          )
        ) : (
          <ReportTimeline points={state.data?.history ?? []} />
        )}
      </Section>
    </Stack>
  );
}
