'use client';

import useSWR from 'swr';
import type { AgentsCursor } from '../data/agents';
import { AGENT_SEARCH_LIMIT, AGENTS_PAGE_SIZE, namePrefixConditions, type AgentFilters } from '../domain/agent-filters';
import { withData } from '../firebase/lazy';
import type { AgentView } from '../model/agent';
import type { AgentStateView } from '../model/agent-state';
import { swrKeys } from './swr-keys';
import { useLive } from './use-live';

/**
 * One page of the agents list, read once (AGENTS_PAGE_SIZE + 1 documents): `after` is where the
 * previous page ended. Agent writes refresh it (staleAfter); a report's lastSeenAt does not.
 */
export function useAgentsPage(workspaceId: string, filters: AgentFilters, after: AgentsCursor | null) {
  return useSWR(
    swrKeys.agentsPage(workspaceId, filters, after),
    ([, ws]) => withData((data, db) => data.fetchAgentsPage(db, ws, filters, AGENTS_PAGE_SIZE, after)),
    { keepPreviousData: true, revalidateOnFocus: false },
  );
}

/** How many agents match the filters (a count aggregation). */
export function useAgentsCount(workspaceId: string, filters: AgentFilters) {
  return useSWR(swrKeys.agentsCount(workspaceId, filters), ([, ws]) => withData((data, db) => data.countAgents(db, ws, filters)), {
    keepPreviousData: true,
    revalidateOnFocus: false,
  });
}

/** The first AGENT_SEARCH_LIMIT agents whose name starts with `prefix`; nothing is read for an empty prefix. */
export function useAgentSearch(workspaceId: string, prefix: string) {
  const key = namePrefixConditions(prefix).length > 0 ? swrKeys.agentSearch(workspaceId, prefix.trim()) : null;
  return useSWR(key, ([, ws, typed]) => withData((data, db) => data.searchAgentsByName(db, ws, typed, AGENT_SEARCH_LIMIT)), {
    keepPreviousData: true,
    revalidateOnFocus: false,
  });
}

/** One agent read once (a name to show for an id from the URL); null when it does not exist. */
export function useAgentOnce(workspaceId: string, agentId: string | null) {
  return useSWR(agentId ? swrKeys.agentOnce(workspaceId, agentId) : null, ([, ws, id]) => withData((data, db) => data.fetchAgent(db, ws, id)), {
    revalidateOnFocus: false,
  });
}

/** One agent, live; null when it does not exist. */
export function useAgent(workspaceId: string, agentId: string | null) {
  return useLive<AgentView | null, ReturnType<typeof swrKeys.agent>>(
    agentId ? swrKeys.agent(workspaceId, agentId) : null,
    (data, db, [, ws, id], listener) => data.watchAgent(db, ws, id, listener),
  );
}

/** state/current (its history: the recorded reports), live; null before the first report was processed. */
export function useAgentState(workspaceId: string, agentId: string | null) {
  return useLive<AgentStateView | null, ReturnType<typeof swrKeys.agentState>>(
    agentId ? swrKeys.agentState(workspaceId, agentId) : null,
    (data, db, [, ws, id], listener) => data.watchAgentState(db, ws, id, listener),
  );
}
