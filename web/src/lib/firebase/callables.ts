// The callable functions the dashboard uses. Loaded on demand (lib/firebase/lazy.ts): the Functions SDK is
// needed only on a first sign-in and when managing agents.
import type { CreateAgentInput, CreateAgentResult } from '@vigil/schema';
import { httpsCallable, type Functions } from 'firebase/functions';
import { parseBootstrapResult, UnexpectedShapeError, type BootstrapResult } from '../model/workspace';

export * from './enrollment-callables';

/** Finds, or on first sign-in creates, the signed-in user's workspace. */
export async function bootstrapWorkspace(functions: Functions): Promise<BootstrapResult> {
  const result = await httpsCallable<void, unknown>(functions, 'bootstrapWorkspace')();
  return parseBootstrapResult(result.data);
}

function parseKeyResult(data: unknown): CreateAgentResult {
  const value = data as Partial<Record<keyof CreateAgentResult, unknown>> | null;
  if (
    typeof value?.agentId !== 'string' ||
    typeof value.key !== 'string' ||
    typeof value.keyPrefix !== 'string' ||
    typeof value.installCommand !== 'string'
  ) {
    throw new UnexpectedShapeError('reply with the agent key');
  }
  return { agentId: value.agentId, key: value.key, keyPrefix: value.keyPrefix, installCommand: value.installCommand };
}

export interface AgentRef {
  workspaceId: string;
  agentId: string;
}

/** Enrolls a host; the key in the reply is never shown again. */
export async function createAgent(functions: Functions, input: CreateAgentInput): Promise<CreateAgentResult> {
  const result = await httpsCallable<CreateAgentInput, unknown>(functions, 'createAgent')(input);
  return parseKeyResult(result.data);
}

/** A new key; the old one stops working at once (and a revoked agent works again). */
export async function rotateAgentKey(functions: Functions, ref: AgentRef): Promise<CreateAgentResult> {
  const result = await httpsCallable<AgentRef, unknown>(functions, 'rotateAgentKey')(ref);
  return parseKeyResult(result.data);
}

/** Asks the agent to rotate its own key at its next report (docs/architecture.md, "Agent keys"): no key comes back. */
export async function requestKeyRotation(functions: Functions, ref: AgentRef): Promise<void> {
  await httpsCallable<AgentRef, unknown>(functions, 'requestKeyRotation')(ref);
}

export async function revokeAgent(functions: Functions, ref: AgentRef): Promise<void> {
  await httpsCallable<AgentRef, unknown>(functions, 'revokeAgent')(ref);
}

export async function deleteAgent(functions: Functions, ref: AgentRef): Promise<void> {
  await httpsCallable<AgentRef, unknown>(functions, 'deleteAgent')(ref);
}
