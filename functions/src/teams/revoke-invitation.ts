// Callable `revokeInvitation`: an owner or admin withdraws a pending invitation (admins only those
// they could have sent: not an owner's). Its link stops working at once; the document stays, marked
// revoked, as the record the members page and the audit log show.
import { invitationRefInputSchema, paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { revokeRefusal } from './invitation-state.js';
import { storedInvitation } from './stored-invitation.js';
import { inviteRefusal } from './team-policy.js';
import { readMember, readWorkspace, throwIfRefused } from './team-reads.js';

export async function revokeInvitation(request: CallableRequest<unknown>): Promise<{ invitationId: string }> {
  const caller = requireSignedIn(request);
  const input = parseInput(invitationRefInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    throwIfRefused(inviteRefusal(me.role, 'viewer'));
    const ref = db.doc(paths.invitation(input.workspaceId, input.invitationId));
    const invitation = storedInvitation(await tx.get(ref));
    throwIfRefused(revokeRefusal(invitation));
    throwIfRefused(inviteRefusal(me.role, invitation!.role));
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    tx.update(ref, { state: 'revoked', revokedBy: { uid: caller.uid, email: caller.email }, revokedAt: FieldValue.serverTimestamp() });
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'invitation.revoked',
      target: { type: 'invitation', id: input.invitationId, name: invitation!.email },
      before: { state: 'pending', role: invitation!.role },
      after: { state: 'revoked' },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { invitationId: input.invitationId };
  });
}
