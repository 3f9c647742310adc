import { roleSchema, type Role } from '@vigil/schema';

export type MirrorUpdate = { kind: 'set'; role: Role } | { kind: 'remove' };

/**
 * What users/{uid}.workspaces[ws] should say, given the member document as it is now (not as the
 * event says it was: events can arrive late or twice, the document is the truth).
 */
export function membershipMirror(currentMember: { exists: boolean; role: unknown }): MirrorUpdate {
  if (!currentMember.exists) return { kind: 'remove' };
  const role = roleSchema.safeParse(currentMember.role);
  return role.success ? { kind: 'set', role: role.data } : { kind: 'remove' };
}
