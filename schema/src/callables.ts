// Inputs and outputs of the callable functions, shared by functions (validation) and web (calls).
import { z } from 'zod';
import { roleSchema } from './common.js';
import { firestoreIdSchema } from './ids.js';
import { LIMITS } from './limits.js';
import { invitedEmailSchema } from './teams.js';

export const CALLABLE_NAMES = [
  'bootstrapWorkspace',
  'ingestReport',
  'createAgent',
  'rotateAgentKey',
  'revokeAgent',
  'deleteAgent',
  'inviteMember',
  'acceptInvitation',
  'revokeInvitation',
  'resendInvitation',
  'setMemberRole',
  'removeMember',
  'leaveWorkspace',
  'createWorkspace',
  'deleteWorkspace',
  'deleteAccount',
  'createEnrollmentToken',
  'revokeEnrollmentToken',
  'enrollAgent',
  'setAgentLabels',
  'requestKeyRotation',
  'fetchAgentKey',
] as const;
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

/**
 * createAgent's reply: no key. The agent gets its key when its host runs `installCommand`, which
 * carries `token`, an enrollment token bound to this agent: one use, until `expiresAt` (ISO 8601)
 * (docs/architecture.md, "Enrollment").
 */
export const createAgentResultSchema = z.object({
  agentId: z.string(),
  tokenId: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  installCommand: z.string(),
});
export type CreateAgentResult = z.infer<typeof createAgentResultSchema>;

export const agentRefInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  agentId: firestoreIdSchema,
});
export type AgentRefInput = z.infer<typeof agentRefInputSchema>;

/**
 * rotateAgentKey's reply: no key. The agent's key is revoked at once; its host gets a new one by
 * running `installCommand` (install.sh `--token … --force-enroll`) or `vigil-agent enroll` with
 * `token`, an enrollment token bound to this agent: one use, until `expiresAt` (ISO 8601), as
 * createAgent's (docs/architecture.md, "Agent keys").
 */
export const rotateAgentKeyResultSchema = z.object({
  agentId: z.string(),
  tokenId: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  installCommand: z.string(),
});
export type RotateAgentKeyResult = z.infer<typeof rotateAgentKeyResultSchema>;

/** requestKeyRotation: the agent switches keys itself at its next report (docs/architecture.md, "Agent keys"). */
export const requestKeyRotationResultSchema = z.object({ agentId: z.string(), requested: z.literal(true) });
export type RequestKeyRotationResult = z.infer<typeof requestKeyRotationResultSchema>;

/** fetchAgentKey (called by the agent with its current key): the new key, shown this once. */
export const fetchAgentKeyResultSchema = z.object({ key: z.string(), keyPrefix: z.string() });
export type FetchAgentKeyResult = z.infer<typeof fetchAgentKeyResultSchema>;

// ---- Teams (docs/architecture.md, "Teams") ----------------------------------------------------------

export const inviteMemberInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  email: invitedEmailSchema,
  role: roleSchema,
});
export type InviteMemberInput = z.input<typeof inviteMemberInputSchema>;

/** `resent`: the address already had a pending invitation, which got a new link instead. */
export const inviteMemberResultSchema = z.object({ invitationId: z.string(), resent: z.boolean() });
export type InviteMemberResult = z.infer<typeof inviteMemberResultSchema>;

export const invitationRefInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  invitationId: firestoreIdSchema,
});
export type InvitationRefInput = z.infer<typeof invitationRefInputSchema>;

/** The link's secret: 32 random bytes in base64url (43 characters), from the link's fragment. */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the token from the invitation link');

export const acceptInvitationInputSchema = invitationRefInputSchema.extend({ token: invitationTokenSchema });
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInputSchema>;

export const acceptInvitationResultSchema = z.object({ workspaceId: z.string(), role: roleSchema });
export type AcceptInvitationResult = z.infer<typeof acceptInvitationResultSchema>;

export const memberRefInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  uid: firestoreIdSchema,
});
export type MemberRefInput = z.infer<typeof memberRefInputSchema>;

export const setMemberRoleInputSchema = memberRefInputSchema.extend({ role: roleSchema });
export type SetMemberRoleInput = z.infer<typeof setMemberRoleInputSchema>;

export const workspaceRefInputSchema = z.object({ workspaceId: firestoreIdSchema });
export type WorkspaceRefInput = z.infer<typeof workspaceRefInputSchema>;

/** What the membership callables answer: the member's role now, or null once they are gone. */
export const memberChangeResultSchema = z.object({ uid: z.string(), role: roleSchema.nullable() });
export type MemberChangeResult = z.infer<typeof memberChangeResultSchema>;

export const createWorkspaceInputSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.workspaceNameLength),
});
export type CreateWorkspaceInput = z.input<typeof createWorkspaceInputSchema>;

export const createWorkspaceResultSchema = z.object({ workspaceId: z.string(), role: roleSchema });
export type CreateWorkspaceResult = z.infer<typeof createWorkspaceResultSchema>;

/** The typed confirmation: the workspace's name, exactly as it is stored. */
export const deleteWorkspaceInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  confirmName: z.string().max(LIMITS.workspaceNameLength),
});
export type DeleteWorkspaceInput = z.infer<typeof deleteWorkspaceInputSchema>;
