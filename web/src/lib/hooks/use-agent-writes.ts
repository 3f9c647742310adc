'use client';

// Agent management, through the callables (the rules allow no client write to agents or keys).
// None of them revalidates a key: the agents list and an agent's page are Firestore listeners,
// which deliver the change themselves.
import type { CreateAgentInput, CreateAgentResult } from '@vigil/schema';
import { useCallback } from 'react';
import type { AgentRef } from '../firebase/callables';
import { withCallables } from '../firebase/lazy';

/** A new agent and its key, shown once. */
export function useCreateAgent() {
  return useCallback(
    (input: CreateAgentInput): Promise<CreateAgentResult> => withCallables((callables, functions) => callables.createAgent(functions, input)),
    [],
  );
}

/** A new key for the agent; the old one stops working (and a revocation ends). */
export function useRotateAgentKey() {
  return useCallback(
    (ref: AgentRef): Promise<CreateAgentResult> => withCallables((callables, functions) => callables.rotateAgentKey(functions, ref)),
    [],
  );
}

/** The agent's key stops working; the agent and its history stay. */
export function useRevokeAgent() {
  return useCallback((ref: AgentRef): Promise<void> => withCallables((callables, functions) => callables.revokeAgent(functions, ref)), []);
}

/** The agent, its key, state, reports and events, gone. */
export function useDeleteAgent() {
  return useCallback((ref: AgentRef): Promise<void> => withCallables((callables, functions) => callables.deleteAgent(functions, ref)), []);
}
