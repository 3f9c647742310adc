// Callable `createEnrollmentToken`: an owner or admin makes a token that enrolls hosts (enrollAgent)
// until it expires, is revoked or is used up. The token is returned this once, with its install
// command; only the SHA-256 of its secret is stored, in enrollmentSecrets/{tokenId}, which no client
// reads. Its listable metadata (no part of the secret) is workspaces/{ws}/enrollmentTokens/{tokenId},
// which owners and admins read. The metadata, the hash and the audit entry commit together.
import { createEnrollmentTokenInputSchema, paths, type CreateEnrollmentTokenResult } from '@vigil/schema';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp, userActor } from '../audit/audit-entry.js';
import { requireSignedIn } from '../auth/callable-auth.js';
import { requireManager } from '../auth/membership.js';
import { parseInput } from '../validation/parse-input.js';
import { tokenExpiry } from './enrollment-policy.js';
import { generateEnrollmentToken } from './enrollment-token.js';
import { tokenInstallCommand } from './token-install-command.js';

export async function createEnrollmentToken(request: CallableRequest<unknown>): Promise<CreateEnrollmentTokenResult> {
  const caller = requireSignedIn(request);
  const input = parseInput(createEnrollmentTokenInputSchema, request.data);
  const expiry = tokenExpiry(input, Date.now());
  if ('problem' in expiry) {
    throw new HttpsError('invalid-argument', `Invalid request. expiresAt: ${expiry.problem}`, {
      issues: [{ path: 'expiresAt', message: expiry.problem }],
    });
  }
  const expiresAt = Timestamp.fromMillis(expiry.expiresAtMs);
  const generated = generateEnrollmentToken();
  // Built before the transaction: a misconfigured deploy (DASHBOARD_URL) fails here, writing nothing.
  const command = tokenInstallCommand(generated.token);
  const db = firestore();

  await db.runTransaction(async (tx) => {
    await requireManager(db, input.workspaceId, caller.uid, tx);
    const workspace = await tx.get(db.doc(paths.workspace(input.workspaceId)));
    if (!workspace.exists) throw new HttpsError('not-found', 'This workspace does not exist.');
    tx.create(db.doc(paths.enrollmentToken(input.workspaceId, generated.tokenId)), {
      name: input.name,
      createdBy: { uid: caller.uid, email: caller.email },
      createdAt: FieldValue.serverTimestamp(),
      expiresAt,
      maxUses: input.maxUses,
      uses: 0,
      labels: input.labels,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    });
    tx.create(db.doc(paths.enrollmentSecret(generated.tokenId)), {
      workspaceId: input.workspaceId,
      hash: generated.hash,
      createdAt: FieldValue.serverTimestamp(),
    });
    auditInTransaction(tx, input.workspaceId, {
      actor: userActor(caller),
      action: 'enrollment_token.created',
      target: { type: 'enrollment_token', id: generated.tokenId, name: input.name },
      after: { name: input.name, expiresAt: expiresAt.toDate().toISOString(), maxUses: input.maxUses, labels: input.labels },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
  });
  return { tokenId: generated.tokenId, token: generated.token, expiresAt: expiresAt.toDate().toISOString(), installCommand: command };
}
