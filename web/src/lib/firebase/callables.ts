// The callable functions the dashboard uses. Loaded on demand (lib/firebase/lazy.ts): the Functions SDK is
// needed only on a first sign-in and when managing agents.
import type { CreateAgentInput, CreateAgentResult, RotateAgentKeyResult } from '@vigil/schema';
import { httpsCallable, type Functions } from 'firebase/functions';
import { parseBootstrapResult, UnexpectedShapeError, type BootstrapResult } from '../model/workspace';

export * from './enrollment-callables';

/** Finds, or on first sign-in creates, the signed-in user's workspace. */
export async function bootstrapWorkspace(functions: Functions): Promise<BootstrapResult> {
  const result = await httpsCallable<void, unknown>(functions, 'bootstrapWorkspace')();
  return parseBootstrapResult(result.data);
}

/** createAgent's and rotateAgentKey's reply: an install command with a token bound to the agent, no key. */
function parseBoundInstallCommand(data: unknown): CreateAgentResult & RotateAgentKeyResult {
  const value = data as Partial<Record<keyof CreateAgentResult, unknown>> | null;
  if (
    typeof value?.agentId !== 'string' ||
    typeof value.tokenId !== 'string' ||
    typeof value.token !== 'string' ||
    typeof value.expiresAt !== 'string' ||
    typeof value.installCommand !== 'string'
  ) {
    throw new UnexpectedShapeError('reply with the install command');
  }
  return { agentId: value.agentId, tokenId: value.tokenId, token: value.token, expiresAt: value.expiresAt, installCommand: value.installCommand };
}

export interface AgentRef {
  workspaceId: string;
  agentId: string;
}

/** Adds a host: no key, an install command whose enrollment token is shown this once and works once. */
export async function createAgent(functions: Functions, input: CreateAgentInput): Promise<CreateAgentResult> {
  const result = await httpsCallable<CreateAgentInput, unknown>(functions, 'createAgent')(input);
  return parseBoundInstallCommand(result.data);
}

/**
 * The agent's key stops working at once (and a revocation ends); no key comes back, but an install
 * command whose token, bound to the agent, gives its host a new key once, within 24 h.
 */
export async function rotateAgentKey(functions: Functions, ref: AgentRef): Promise<RotateAgentKeyResult> {
  const result = await httpsCallable<AgentRef, unknown>(functions, 'rotateAgentKey')(ref);
  return parseBoundInstallCommand(result.data);
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
