// Callable `setMemberRole`: owners change anyone's role (handing over ownership is making another
// member owner); admins change viewers only, to viewer or admin; the last owner cannot step down
// (team-policy.ts). Setting the role a member already has changes nothing and records nothing.
import { paths, setMemberRoleInputSchema, type MemberChangeResult } from '@vigil/schema';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { roleChangeRefusal } from './team-policy.js';
import { countOwners, readMember, readWorkspace, throwIfRefused } from './team-reads.js';

export async function setMemberRole(request: CallableRequest<unknown>): Promise<MemberChangeResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(setMemberRoleInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    const target = input.uid === caller.uid ? me : await readMember(db, tx, input.workspaceId, input.uid);
    const owners = await countOwners(db, tx, input.workspaceId);
    throwIfRefused(roleChangeRefusal({ caller: me.role, target: target.role, owners, self: input.uid === caller.uid, newRole: input.role }));
    if (target.role === input.role) return { uid: input.uid, role: input.role };
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    tx.update(db.doc(paths.member(input.workspaceId, input.uid)), { role: input.role });
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'member.role_changed',
      target: { type: 'member', id: input.uid, name: target.email ?? input.uid },
      before: { role: target.role ?? null },
      after: { role: input.role },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { uid: input.uid, role: input.role };
  });
}
