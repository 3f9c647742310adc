// The fixed set of action names an audit entry may carry (workspaces/{ws}/audit/{id}): the Activity
// page filters by them, so they never change meaning. A new feature adds its own names here.
export const AUDIT_ACTIONS = [
  'workspace.created',
  'workspace.deleted',
  'workspace.renamed',
  'workspace.settings_changed',
  'member.invited',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  'member.role_changed',
  'member.removed',
  'member.left',
  'agent.created',
  'agent.key_rotated',
  'agent.revoked',
  'agent.deleted',
  'agent.enrolled',
  'agent.labels_changed',
  'enrollment_token.created',
  'enrollment_token.revoked',
  'notifications.changed',
  'event.acknowledged',
  'test.checked',
  'test.unchecked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry is about: its `target.type`. */
export const AUDIT_TARGET_TYPES = ['workspace', 'member', 'invitation', 'agent', 'event', 'test', 'enrollment_token'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
