'use client';

import type { AgentView } from '../model/agent';
import type { AgentStateView } from '../model/agent-state';
import { swrKeys } from './swr-keys';
import { useLive } from './use-live';

/** Every agent of the workspace, live. */
export function useAgents(workspaceId: string | null) {
  return useLive<AgentView[], ReturnType<typeof swrKeys.agents>>(workspaceId ? swrKeys.agents(workspaceId) : null, (data, db, [, ws], listener) =>
    data.watchAgents(db, ws, listener),
  );
}

/** One agent, live; null when it does not exist. */
export function useAgent(workspaceId: string, agentId: string | null) {
  return useLive<AgentView | null, ReturnType<typeof swrKeys.agent>>(
    agentId ? swrKeys.agent(workspaceId, agentId) : null,
    (data, db, [, ws, id], listener) => data.watchAgent(db, ws, id, listener),
  );
}

/** state/current, live; null before the first report was processed. */
export function useAgentState(workspaceId: string, agentId: string | null) {
  return useLive<AgentStateView | null, ReturnType<typeof swrKeys.agentState>>(
    agentId ? swrKeys.agentState(workspaceId, agentId) : null,
    (data, db, [, ws, id], listener) => data.watchAgentState(db, ws, id, listener),
  );
}
