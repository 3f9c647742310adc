// Callable `inviteMember`: an owner or admin invites an email address with a role (only owners invite
// owners). The invitee gets an email with a single-use link that expires in 7 days; only the SHA-256
// of its token is stored. This email is the one message Vigil sends to an address nobody has
// verified: it is fixed text (invitation-email.ts), sent only on this explicit action, at most
// INVITATION_LIMITS.emailsPerWorkspacePerDay per workspace and UTC day (new or resent), and one
// pending invitation per address: inviting a pending address again resends it (new link, new
// expiry, the role now asked for) instead of adding a second.
import { inviteMemberInputSchema, paths, roleSchema, type InviteMemberResult, type Role } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { issueInvitationLink } from './issue-invitation-link.js';
import { sendInvitation } from './send-invitation.js';
import { inviteRefusal } from './team-policy.js';
import { readMember, readWorkspace, throwIfRefused, workspaceName } from './team-reads.js';

export async function inviteMember(request: CallableRequest<unknown>): Promise<InviteMemberResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(inviteMemberInputSchema, request.data);
  const db = firestore();
  const nowMs = Date.now();

  const sent = await db.runTransaction(async (tx) => {
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    throwIfRefused(inviteRefusal(me.role, input.role));
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    const members = await tx.get(db.collection(paths.members(input.workspaceId)).where('email', '==', input.email).limit(1));
    if (!members.empty) throw new HttpsError('failed-precondition', 'This address is already a member of this workspace.');
    const pending = await tx.get(
      db.collection(paths.invitations(input.workspaceId)).where('email', '==', input.email).where('state', '==', 'pending').limit(1),
    );
    const existing = pending.docs[0];
    const existingRole = roleSchema.safeParse(existing?.get('role'));
    // An admin may not rewrite an owner's invitation of an owner.
    if (existing && existingRole.success) throwIfRefused(inviteRefusal(me.role, existingRole.data));
    const link = await issueInvitationLink(db, tx, input.workspaceId, nowMs);
    const retentionDays: unknown = workspace.get('settings.auditRetentionDays');
    const ref = existing?.ref ?? db.collection(paths.invitations(input.workspaceId)).doc();
    const target = { type: 'invitation' as const, id: ref.id, name: input.email };
    if (existing) {
      tx.update(ref, { ...link.fields, role: input.role, sends: FieldValue.increment(1) });
      const before: Role | undefined = existingRole.success ? existingRole.data : undefined;
      auditInTransaction(tx, input.workspaceId, {
        actor: userActor(caller),
        action: 'invitation.resent',
        target,
        ...(before !== input.role ? { before: { role: before ?? null } } : {}),
        after: { role: input.role },
        ip: requestIp(request.rawRequest),
        retentionDays,
      });
    } else {
      tx.create(ref, {
        email: input.email,
        role: input.role,
        invitedBy: { uid: caller.uid, email: caller.email },
        createdAt: FieldValue.serverTimestamp(),
        state: 'pending',
        sends: 1,
        acceptedBy: null,
        acceptedAt: null,
        ...link.fields,
      });
      auditInTransaction(tx, input.workspaceId, {
        actor: userActor(caller),
        action: 'member.invited',
        target,
        after: { email: input.email, role: input.role },
        ip: requestIp(request.rawRequest),
        retentionDays,
      });
    }
    link.commitQuota();
    return {
      invitationId: ref.id,
      resent: existing !== undefined,
      token: link.token,
      expiresAt: link.expiresAt,
      workspaceName: workspaceName(workspace),
    };
  });

  await sendInvitation({
    workspaceId: input.workspaceId,
    workspaceName: sent.workspaceName,
    invitationId: sent.invitationId,
    token: sent.token,
    email: input.email,
    role: input.role,
    inviterEmail: caller.email,
    expiresAt: sent.expiresAt,
  });
  return { invitationId: sent.invitationId, resent: sent.resent };
}
