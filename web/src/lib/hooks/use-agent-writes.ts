'use client';

// Agent management, through the callables (the rules allow no client write to agents or keys).
// One agent's page is a listener, which delivers the change itself; the agents list is read a
// page at a time, so each write then reads again every page, count and search of that workspace's
// list that is in the cache (staleAfter).
import type { CreateAgentInput, CreateAgentResult, RotateAgentKeyResult } from '@vigil/schema';
import { useCallback } from 'react';
import type { AgentRef } from '../firebase/callables';
import { withCallables } from '../firebase/lazy';
import { useRefreshingAfter } from './use-refreshing-after';
import { staleAfter } from './swr-keys';

/** A new agent and its install command (no key: its bound enrollment token), shown once. */
export function useCreateAgent() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (input: CreateAgentInput): Promise<CreateAgentResult> =>
      refreshing(
        withCallables((callables, functions) => callables.createAgent(functions, input)),
        staleAfter.createAgent(input.workspaceId),
      ),
    [refreshing],
  );
}

/** The agent's key stops working at once (and a revocation ends); its host re-enrolls with the command shown once. */
export function useRotateAgentKey() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (ref: AgentRef): Promise<RotateAgentKeyResult> =>
      refreshing(
        withCallables((callables, functions) => callables.rotateAgentKey(functions, ref)),
        staleAfter.rotateAgentKey(ref.workspaceId),
      ),
    [refreshing],
  );
}

/** The agent fetches a new key at its next report and switches to it; the current key works until then. */
export function useRequestKeyRotation() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (ref: AgentRef): Promise<void> =>
      refreshing(
        withCallables((callables, functions) => callables.requestKeyRotation(functions, ref)),
        staleAfter.requestKeyRotation(ref.workspaceId),
      ),
    [refreshing],
  );
}

/** The agent's key stops working; the agent and its history stay. */
export function useRevokeAgent() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (ref: AgentRef): Promise<void> =>
      refreshing(
        withCallables((callables, functions) => callables.revokeAgent(functions, ref)),
        staleAfter.revokeAgent(ref.workspaceId),
      ),
    [refreshing],
  );
}

/** The agent, its key, state, reports and events, gone. */
export function useDeleteAgent() {
  const refreshing = useRefreshingAfter();
  return useCallback(
    (ref: AgentRef): Promise<void> =>
      refreshing(
        withCallables((callables, functions) => callables.deleteAgent(functions, ref)),
        staleAfter.deleteAgent(ref.workspaceId),
      ),
    [refreshing],
  );
}
