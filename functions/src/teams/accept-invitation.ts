// Callable `acceptInvitation`: the invitee, signed in with the verified address the invitation names,
// presents the link's token; one transaction checks it (invitation-state.ts acceptRefusal: token,
// state, expiry, verified address, not yet a member), creates members/{uid} with the invited role
// and marks the invitation accepted, so a second accept fails. The users/{uid} mirror follows
// through onMemberWritten.
import { acceptInvitationInputSchema, DEFAULT_NOTIFICATION_PREFERENCES, paths, type AcceptInvitationResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { acceptRefusal } from './invitation-state.js';
import { storedInvitation } from './stored-invitation.js';
import { readMember, readWorkspace, throwIfRefused } from './team-reads.js';

export async function acceptInvitation(request: CallableRequest<unknown>): Promise<AcceptInvitationResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(acceptInvitationInputSchema, request.data);
  const emailVerified = request.auth?.token.email_verified === true;
  const db = firestore();
  const nowMs = Date.now();

  return db.runTransaction(async (tx) => {
    const ref = db.doc(paths.invitation(input.workspaceId, input.invitationId));
    const invitation = storedInvitation(await tx.get(ref));
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    throwIfRefused(acceptRefusal(invitation, input.token, { email: caller.email, emailVerified, memberRole: me.role }, nowMs));
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    const role = invitation!.role;
    tx.create(me.snapshot.ref, {
      role,
      email: caller.email,
      joinedAt: FieldValue.serverTimestamp(),
      lastActiveAt: FieldValue.serverTimestamp(),
      notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES },
      invitedBy: invitation!.invitedBy,
    });
    tx.update(ref, { state: 'accepted', acceptedBy: caller.uid, acceptedAt: FieldValue.serverTimestamp() });
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'invitation.accepted',
      target: { type: 'member', id: caller.uid, name: caller.email ?? caller.uid },
      after: { role, invitationId: input.invitationId },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { workspaceId: input.workspaceId, role };
  });
}
