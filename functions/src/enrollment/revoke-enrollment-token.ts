// Callable `revokeEnrollmentToken`: the token enrolls nothing more (enrollAgent refuses it as
// revoked). Agents it enrolled keep their own keys. Revoking a revoked token changes nothing and
// records nothing, so a repeated click is harmless.
import { enrollmentTokenRefInputSchema, paths, type RevokeEnrollmentTokenResult } from '@vigil/schema';
import { FieldValue } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';

export async function revokeEnrollmentToken(request: CallableRequest<unknown>): Promise<RevokeEnrollmentTokenResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(enrollmentTokenRefInputSchema, request.data);
  const db = firestore();

  await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const tokenRef = db.doc(paths.enrollmentToken(input.workspaceId, input.tokenId));
    const token = await tx.get(tokenRef);
    if (!token.exists) throw new HttpsError('not-found', 'This enrollment token does not exist.');
    if (token.get('revokedAt') != null) return;
    // For the audit entry's retention (read before the writes, as transactions require).
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    tx.update(tokenRef, { revokedAt: FieldValue.serverTimestamp(), revokedBy: { uid: caller.uid, email: caller.email } });
    const name: unknown = token.get('name');
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'enrollment_token.revoked',
      target: { type: 'enrollment_token', id: input.tokenId, ...(typeof name === 'string' ? { name } : {}) },
      before: { uses: (token.get('uses') as unknown) ?? null },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
  });
  return { tokenId: input.tokenId, revoked: true };
}
