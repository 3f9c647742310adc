// Callable `resendInvitation`: an owner or admin sends a pending invitation again (expired or not): a
// new token (the old link stops working) and a fresh 7-day expiry, counted in the workspace's daily
// invitation quota like a new invitation (see invite-member.ts).
import { invitationRefInputSchema, paths } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { resendRefusal } from './invitation-state.js';
import { issueInvitationLink } from './issue-invitation-link.js';
import { sendInvitation } from './send-invitation.js';
import { storedInvitation } from './stored-invitation.js';
import { inviteRefusal } from './team-policy.js';
import { readMember, readWorkspace, throwIfRefused, workspaceName } from './team-reads.js';

export async function resendInvitation(request: CallableRequest<unknown>): Promise<{ invitationId: string }> {
  const caller = requireSignedIn(request);
  const input = parseInput(invitationRefInputSchema, request.data);
  const db = firestore();
  const nowMs = Date.now();

  const sent = await db.runTransaction(async (tx) => {
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    throwIfRefused(inviteRefusal(me.role, 'viewer'));
    const ref = db.doc(paths.invitation(input.workspaceId, input.invitationId));
    const invitation = storedInvitation(await tx.get(ref));
    throwIfRefused(resendRefusal(invitation));
    throwIfRefused(inviteRefusal(me.role, invitation!.role));
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    const link = await issueInvitationLink(db, tx, input.workspaceId, nowMs);
    tx.update(ref, { ...link.fields, sends: FieldValue.increment(1) });
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'invitation.resent',
      target: { type: 'invitation', id: input.invitationId, name: invitation!.email },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    link.commitQuota();
    return {
      token: link.token,
      expiresAt: link.expiresAt,
      email: invitation!.email,
      role: invitation!.role,
      workspaceName: workspaceName(workspace),
    };
  });

  await sendInvitation({ workspaceId: input.workspaceId, invitationId: input.invitationId, inviterEmail: caller.email, ...sent });
  return { invitationId: input.invitationId };
}
