// Inputs and outputs of the callable functions, shared by functions (validation) and web (calls).
import { z } from 'zod';
import { roleSchema } from './common.js';
import { firestoreIdSchema } from './ids.js';
import { LIMITS } from './limits.js';

export const CALLABLE_NAMES = ['bootstrapWorkspace', 'ingestReport', 'createAgent', 'rotateAgentKey', 'revokeAgent', 'deleteAgent'] as const;
export type CallableName = (typeof CALLABLE_NAMES)[number];

export const bootstrapWorkspaceResultSchema = z.object({
  workspaceId: z.string(),
  role: roleSchema,
  created: z.boolean(),
});
export type BootstrapWorkspaceResult = z.infer<typeof bootstrapWorkspaceResultSchema>;

// Every id a callable takes is a firestoreIdSchema (schema/src/ids.ts): a document id, never a path.
export const createAgentInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  name: z.string().trim().min(1).max(LIMITS.agentNameLength),
  description: z.string().trim().max(LIMITS.agentDescriptionLength).default(''),
});
export type CreateAgentInput = z.input<typeof createAgentInputSchema>;

export const createAgentResultSchema = z.object({
  agentId: z.string(),
  key: z.string(),
  keyPrefix: z.string(),
  installCommand: z.string(),
});
export type CreateAgentResult = z.infer<typeof createAgentResultSchema>;

export const agentRefInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  agentId: firestoreIdSchema,
});
export type AgentRefInput = z.infer<typeof agentRefInputSchema>;

export const rotateAgentKeyResultSchema = createAgentResultSchema;
export type RotateAgentKeyResult = z.infer<typeof rotateAgentKeyResultSchema>;
