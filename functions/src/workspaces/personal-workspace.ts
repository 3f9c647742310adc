// What a new user's own workspace looks like. Pure, so the defaults are unit-tested.
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, LIMITS, type Member, type Workspace } from '@vigil/schema';

export function personalWorkspaceName(email: string | null): string {
  const local = email?.split('@')[0]?.trim();
  const name = local ? `${local}'s workspace` : 'My workspace';
  return name.slice(0, LIMITS.workspaceNameLength);
}

export function newPersonalWorkspace<T>(input: { uid: string; email: string | null; now: T }) {
  const workspace = {
    name: personalWorkspaceName(input.email),
    createdAt: input.now,
    createdBy: input.uid,
    settings: { ...DEFAULT_WORKSPACE_SETTINGS },
    // No maxAgents nor maxEmailsPerHour: MAX_AGENTS_PER_WORKSPACE and MAX_EMAILS_PER_HOUR apply
    // until the operator sets one. No fleetChangedAt: deleteAgent sets it. No retentionCutoffPending:
    // only a lowered retention sets it.
  } satisfies Record<Exclude<keyof Workspace, 'maxAgents' | 'maxEmailsPerHour' | 'fleetChangedAt' | 'retentionCutoffPending'>, unknown>;
  const owner = {
    role: 'owner',
    email: input.email,
    joinedAt: input.now,
    notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES },
    // Creating it is the first sign-in: the owner was active now.
    lastActiveAt: input.now,
    // No invitedBy: nobody invites a user to their own workspace.
  } satisfies Record<Exclude<keyof Member, 'invitedBy'>, unknown>;
  return { workspace, owner };
}
