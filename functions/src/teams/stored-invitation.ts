// An invitation document as invitation-state.ts judges it; a malformed one is treated as missing
// rather than guessed at.
import { invitationSchema } from '@vigil/schema';
import type { DocumentSnapshot } from 'firebase-admin/firestore';
import type { StoredInvitation } from './invitation-state.js';

export function storedInvitation(
  snapshot: DocumentSnapshot,
): (StoredInvitation & { role: ReturnType<typeof invitationSchema.parse>['role']; invitedBy: { uid: string; email: string | null } }) | undefined {
  if (!snapshot.exists) return undefined;
  const parsed = invitationSchema.safeParse(snapshot.data());
  if (!parsed.success) return undefined;
  const invitation = parsed.data;
  return {
    state: invitation.state,
    email: invitation.email,
    expiresAtMs: invitation.expiresAt.toMillis(),
    tokenHash: invitation.tokenHash,
    role: invitation.role,
    invitedBy: invitation.invitedBy,
  };
}
