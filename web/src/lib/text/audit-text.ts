// How the Activity page words an audit entry: a label per action (the compiler asks for every one
// of AUDIT_ACTIONS), who acted, and what the entry is about. Pure.
import { AUDIT_ACTIONS, ownValue, type AuditAction, type AuditTargetType } from '@vigil/schema/constants';
import type { AuditActorView } from '../model/audit-entry';

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'workspace.created': 'Workspace created',
  'workspace.deleted': 'Workspace deleted',
  'workspace.renamed': 'Workspace renamed',
  'workspace.settings_changed': 'Settings changed',
  'member.invited': 'Member invited',
  'invitation.resent': 'Invitation resent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
  'member.role_changed': 'Role changed',
  'member.removed': 'Member removed',
  'member.left': 'Member left',
  'agent.created': 'Agent created',
  'agent.key_rotated': 'Agent key rotated',
  'agent.revoked': 'Agent revoked',
  'agent.deleted': 'Agent deleted',
  'agent.enrolled': 'Agent enrolled',
  'agent.labels_changed': 'Agent labels changed',
  'enrollment_token.created': 'Enrollment token created',
  'enrollment_token.revoked': 'Enrollment token revoked',
  'notifications.changed': 'Notification choices changed',
  'event.acknowledged': 'Event acknowledged',
  'test.checked': 'Test marked as checked',
  'test.unchecked': 'Test check undone',
};

const TARGET_TYPE_LABELS: Record<AuditTargetType, string> = {
  workspace: 'Workspace',
  member: 'Member',
  invitation: 'Invitation',
  agent: 'Agent',
  event: 'Event',
  test: 'Test',
  enrollment_token: 'Enrollment token',
};

const isKnownAction = (action: string): action is AuditAction => AUDIT_ACTIONS.some((known) => known === action);

/** "Role changed": the label, or the action's own name for one this dashboard does not know yet. */
export function auditActionLabel(action: string): string {
  return isKnownAction(action) ? AUDIT_ACTION_LABELS[action] : action;
}

/** "Agent", or the stored type itself for one this dashboard does not know. */
export function auditTargetTypeLabel(type: string): string {
  return ownValue<string>(TARGET_TYPE_LABELS, type) ?? type;
}

/** Why an entry may have no person: said on the page beside "unknown". */
export const UNKNOWN_ACTOR_EXPLANATION =
  'the change was written from the dashboard, and Firestore did not tell the audit log who wrote it (it knows only when the change itself names its author, as an acknowledgement does).';

/** Who acted, in words: the person's address, "Vigil" for the system's own schedules, or "unknown". */
export function auditActorText(actor: AuditActorView): string {
  switch (actor.type) {
    case 'user':
      return actor.email ?? actor.uid;
    case 'system':
      return 'Vigil';
    case 'unknown':
      return 'unknown';
  }
}
