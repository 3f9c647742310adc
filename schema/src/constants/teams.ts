// Teams' limits: how long an invitation link lives, how many invitation emails a workspace may
// send, and how many workspaces one user may create.

/**
 * Invitations: a link lives 7 days; a workspace sends at most 20 invitation emails (new or resent) per
 * UTC day, since the invitation email is the one message Vigil sends to an address nobody has
 * verified yet.
 */
export const INVITATION_LIMITS = {
  validDays: 7,
  emailsPerWorkspacePerDay: 20,
} as const;

/**
 * A user creates at most 20 workspaces (createWorkspace counts those they created): each holds its
 * own agent and email caps, so unbounded creation would void them.
 */
export const WORKSPACES_PER_USER = 20;
