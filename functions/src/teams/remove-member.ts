// Callable `removeMember`: the same authority as changing the member's role (team-policy.ts). Deleting
// members/{uid} ends their access at once (the rules read the member document on every request) and
// their mail from this workspace (recipients are read from the members at each send); the
// users/{uid} mirror follows through onMemberWritten.
import { memberRefInputSchema, paths, type MemberChangeResult } from '@vigil/schema';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { removalRefusal } from './team-policy.js';
import { countOwners, readMember, readWorkspace, throwIfRefused } from './team-reads.js';

export async function removeMember(request: CallableRequest<unknown>): Promise<MemberChangeResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(memberRefInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const self = input.uid === caller.uid;
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    const target = self ? me : await readMember(db, tx, input.workspaceId, input.uid);
    const owners = await countOwners(db, tx, input.workspaceId);
    throwIfRefused(removalRefusal({ caller: me.role, target: target.role, owners, self }));
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    tx.delete(db.doc(paths.member(input.workspaceId, input.uid)));
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'member.removed',
      target: { type: 'member', id: input.uid, name: target.email ?? input.uid },
      before: { role: target.role ?? null },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { uid: input.uid, role: null };
  });
}
