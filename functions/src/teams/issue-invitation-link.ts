// What inviting and resending share, inside their transaction: the workspace's daily email quota and a
// fresh token with a fresh 7-day expiry (a resend's new token kills the old link).
import { paths } from '@vigil/schema';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { invitationQuota, type QuotaCount } from './invitation-quota.js';
import { invitationExpiry } from './invitation-state.js';
import { newInvitationToken } from './invitation-token.js';

export interface IssuedLink {
  token: string;
  /** The invitation's fields a send sets. */
  fields: { tokenHash: string; expiresAt: Timestamp; sentAt: Timestamp };
  expiresAt: Date;
  /** Write the counted quota (after all of the transaction's reads). */
  commitQuota(): void;
}

/** Reads the quota (refusing with resource-exhausted when it is spent) and issues a new token. */
export async function issueInvitationLink(db: Firestore, tx: Transaction, workspaceId: string, nowMs: number): Promise<IssuedLink> {
  const quotaRef = db.doc(paths.invitationQuota(workspaceId));
  const quota = invitationQuota((await tx.get(quotaRef)).data(), nowMs);
  if (!quota.allowed) {
    throw new HttpsError('resource-exhausted', `This workspace has sent its ${quota.limit} invitation emails for today. Try again tomorrow (UTC).`, {
      retryAfterSeconds: quota.retryAfterSeconds,
    });
  }
  const next: QuotaCount = quota.next;
  const { token, tokenHash } = newInvitationToken();
  const expiresAt = new Date(invitationExpiry(nowMs));
  return {
    token,
    fields: { tokenHash, expiresAt: Timestamp.fromDate(expiresAt), sentAt: Timestamp.fromMillis(nowMs) },
    expiresAt,
    commitQuota: () => tx.set(quotaRef, next),
  };
}
