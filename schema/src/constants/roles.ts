// A member's role in a workspace. firestore.rules names the managing roles (rules-constants.test.ts).
export const ROLES = ['owner', 'admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may manage agents and workspace settings. */
export const MANAGING_ROLES: readonly Role[] = ['owner', 'admin'];
