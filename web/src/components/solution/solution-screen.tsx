'use client';

import { Alert, Badge, Stack, Text } from '@chakra-ui/react';
import { useSearchParams } from 'next/navigation';
import { describeError } from '@/lib/text/error-message';
import { useAgent, useAgentState } from '@/lib/hooks/use-agents';
import { useTestAcks } from '@/lib/hooks/use-test-acks';
import { dashboardLinks, ownValue, solutionDisplayName } from '@vigil/schema/constants';
import { solutionCategory, solutionHealth } from '@/lib/domain/solution-health';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { Section } from '../ui/section';
import { HealthBadge } from '../ui/status-badge';
import { ConfigHistory } from './config-history';
import { ConfigurationTable } from './configuration-table';
import { MetricsCharts } from './metrics-charts';
import { TestsList } from './tests-list';

export function SolutionScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const params = useSearchParams();
  const agentId = params.get('agent') ?? '';
  const solutionId = params.get('solution') ?? '';
  const agent = useAgent(ws, agentId || null);
  const state = useAgentState(ws, agentId || null);
  const acks = useTestAcks(ws, agentId, solutionId);

  if (!agentId || !solutionId)
    return <EmptyPanel title="No solution chosen" description={<AppLink href={dashboardLinks.agents(ws)}>Pick an agent.</AppLink>} />;
  const failed = agent.error ?? state.error;
  if (failed) return <ErrorAlert title="Could not load this solution" message={describeError(failed)} />;
  if (agent.data === undefined || state.data === undefined) return <LoadingState label="Loading the solution…" />;
  if (agent.data === null)
    return <EmptyPanel title="This agent does not exist" description={<AppLink href={dashboardLinks.agents(ws)}>Back to the agents</AppLink>} />;
  // The id comes from the URL: `?solution=constructor` must find nothing, not Object.prototype's member.
  const solution = ownValue(state.data?.solutions, solutionId);
  const agentLink = <AppLink href={dashboardLinks.agent(ws, agentId)}>{agent.data.name}</AppLink>;
  if (!solution) {
    return (
      <Stack gap="6">
        <PageHeader eyebrow={agentLink} title={solutionDisplayName(solutionId)} />
        <EmptyPanel title="Not on this agent now" description="The agent's latest report does not include this solution." />
      </Stack>
    );
  }
  const kind = solutionCategory(solutionId);

  return (
    <Stack gap="6">
      <PageHeader
        eyebrow={agentLink}
        title={solutionDisplayName(solutionId)}
        titleTestId="solution-name"
        description={
          <>
            {[kind, solution.version ? `version ${solution.version}` : null].filter(Boolean).join(' · ')}{' '}
            <HealthBadge health={solutionHealth(solution)} />
          </>
        }
      />
      {solution.errors.length > 0 && (
        <Alert.Root status="warning">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>The probe reported problems</Alert.Title>
            <Alert.Description>
              <Stack as="ul" gap="1" mt="1" listStyleType="disc" ps="4">
                {solution.errors.map((error, index) => (
                  <li key={index}>
                    {error.code && <Badge mr="2">{error.code}</Badge>}
                    <Text as="span" wordBreak="break-word">
                      {error.message}
                    </Text>
                  </li>
                ))}
              </Stack>
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      )}
      <Section title="Tests">
        {acks.error && <ErrorAlert title="Could not load who checked the failing tests" message={describeError(acks.error)} />}
        <TestsList agentId={agentId} solutionId={solutionId} solution={solution} history={state.data?.history ?? []} acks={acks.data} />
      </Section>
      <Section title="Metrics">
        <MetricsCharts solutionId={solutionId} metrics={ownValue(agent.data.metrics, solutionId) ?? {}} history={agent.data.metricsHistory} />
      </Section>
      <Section title="Configuration">
        <ConfigurationTable configuration={solution.configuration} />
      </Section>
      <Section title="Configuration changes">
        <Text textStyle="sm" color="fg.muted" mb="3">
          Every change the agent saw, newest first: removed values marked −, added values marked +.
        </Text>
        <ConfigHistory workspaceId={ws} agentId={agentId} solutionId={solutionId} configuration={solution.configuration} />
      </Section>
    </Stack>
  );
}
