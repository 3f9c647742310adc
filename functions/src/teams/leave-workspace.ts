// Callable `leaveWorkspace`: any member leaves, except the last owner, who hands ownership over first
// (or deletes the workspace). Access and mail end as for a removal (remove-member.ts).
import { paths, workspaceRefInputSchema, type MemberChangeResult } from '@vigil/schema';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { firestore } from '../firebase/admin.js';
import { parseInput } from '../validation/parse-input.js';
import { leaveRefusal } from './team-policy.js';
import { countOwners, readMember, readWorkspace, throwIfRefused } from './team-reads.js';

export async function leaveWorkspace(request: CallableRequest<unknown>): Promise<MemberChangeResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(workspaceRefInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const me = await readMember(db, tx, input.workspaceId, caller.uid);
    const owners = await countOwners(db, tx, input.workspaceId);
    throwIfRefused(leaveRefusal(me.role, owners));
    const workspace = await readWorkspace(db, tx, input.workspaceId);
    tx.delete(db.doc(paths.member(input.workspaceId, caller.uid)));
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'member.left',
      target: { type: 'member', id: caller.uid, name: caller.email ?? caller.uid },
      before: { role: me.role ?? null },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return { uid: caller.uid, role: null };
  });
}
