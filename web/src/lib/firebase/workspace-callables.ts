// The callables of workspaces and accounts (functions/src/teams/, docs/architecture.md "Teams"):
// accepting an invitation, creating and deleting a workspace, deleting one's own account. Loaded on
// demand by use-workspace-writes.ts, like callables.ts. Each reply is checked before it is trusted.
import type { AcceptInvitationInput, CreateWorkspaceInput, DeleteWorkspaceInput, Role } from '@vigil/schema';
import { httpsCallable, type Functions } from 'firebase/functions';
import { UnexpectedShapeError } from '../model/workspace';
import { isRole } from '../model/member';

export interface JoinedWorkspace {
  workspaceId: string;
  role: Role;
}

function parseJoined(data: unknown, what: string): JoinedWorkspace {
  const value = data as { workspaceId?: unknown; role?: unknown } | null;
  if (typeof value?.workspaceId !== 'string' || value.workspaceId === '' || !isRole(value.role)) throw new UnexpectedShapeError(what);
  return { workspaceId: value.workspaceId, role: value.role };
}

/** Joins the workspace of an invitation with the link's token; the caller's address must be verified. */
export async function acceptInvitation(functions: Functions, input: AcceptInvitationInput): Promise<JoinedWorkspace> {
  const result = await httpsCallable<AcceptInvitationInput, unknown>(functions, 'acceptInvitation')(input);
  return parseJoined(result.data, 'reply to accepting the invitation');
}

/** A new workspace owned by the caller. */
export async function createWorkspace(functions: Functions, input: CreateWorkspaceInput): Promise<JoinedWorkspace> {
  const result = await httpsCallable<CreateWorkspaceInput, unknown>(functions, 'createWorkspace')(input);
  return parseJoined(result.data, 'reply to creating the workspace');
}

/** Deletes a workspace and everything in it; `confirmName` must be its name exactly. */
export async function deleteWorkspace(functions: Functions, input: DeleteWorkspaceInput): Promise<void> {
  await httpsCallable<DeleteWorkspaceInput, unknown>(functions, 'deleteWorkspace')(input);
}

/** Deletes the caller's own account; refused while they are the last owner of a workspace. */
export async function deleteAccount(functions: Functions): Promise<void> {
  await httpsCallable<void, unknown>(functions, 'deleteAccount')();
}
