'use client';

import type { AgentView } from '../model/agent';
import type { AgentStateView } from '../model/agent-state';
import { useLive } from './use-live';

/** Every agent of the workspace, live. */
export function useAgents(workspaceId: string | null) {
  return useLive<AgentView[], readonly ['agents', string]>(workspaceId ? ['agents', workspaceId] : null, (data, db, [, ws], listener) =>
    data.watchAgents(db, ws, listener),
  );
}

/** One agent, live; null when it does not exist. */
export function useAgent(workspaceId: string, agentId: string | null) {
  return useLive<AgentView | null, readonly ['agent', string, string]>(
    agentId ? ['agent', workspaceId, agentId] : null,
    (data, db, [, ws, id], listener) => data.watchAgent(db, ws, id, listener),
  );
}

/** state/current, live; null before the first report was processed. */
export function useAgentState(workspaceId: string, agentId: string | null) {
  return useLive<AgentStateView | null, readonly ['agent-state', string, string]>(
    agentId ? ['agent-state', workspaceId, agentId] : null,
    (data, db, [, ws, id], listener) => data.watchAgentState(db, ws, id, listener),
  );
}
