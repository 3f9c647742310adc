// The enrollment token in createAgent's and rotateAgentKey's install commands: bound to the agent it
// was made for (`agentId` on its metadata), one use (maxUses 1), ENROLLMENT_TOKEN_LIMITS.boundTokenHours
// to live. So the command pasted on a host carries no long-lived secret: the agent's key is issued
// when the host enrolls with it (enrollAgent), and a copy of the command found later enrolls nothing.
// It is an ordinary token otherwise (the same documents, hash, refusals and audit), listed on the
// Enrollment page by its name ("for agent <name>", "new key for agent <name>"), where it can be
// revoked; revokeAgent and rotateAgentKey revoke the agent's earlier ones.
import { ENROLLMENT_TOKEN_LIMITS, paths, type PersonRef } from '@vigil/schema';
import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { generateEnrollmentToken, type NewEnrollmentToken } from './enrollment-token.js';
import { tokenInstallCommand } from './token-install-command.js';

const HOUR_MS = 60 * 60 * 1000;

export interface BoundToken {
  generated: NewEnrollmentToken;
  expiresAt: Timestamp;
  installCommand: string;
}

/**
 * What a bound token is for: `install` (createAgent: a host without the agent yet) or `rekey`
 * (rotateAgentKey: a host that has the agent and its key, revoked now, which install.sh replaces
 * only with --force-enroll).
 */
export type BoundTokenPurpose = 'install' | 'rekey';

/**
 * A new bound token and its install command, made before the transaction: a misconfigured deploy
 * (DASHBOARD_URL) fails here, writing nothing.
 */
export function newBoundToken(nowMs: number, purpose: BoundTokenPurpose = 'install'): BoundToken {
  const generated = generateEnrollmentToken();
  return {
    generated,
    expiresAt: Timestamp.fromMillis(nowMs + ENROLLMENT_TOKEN_LIMITS.boundTokenHours * HOUR_MS),
    installCommand: tokenInstallCommand(generated.token, { forceEnroll: purpose === 'rekey' }),
  };
}

/** The name the Enrollment page lists a bound token by. */
export function boundTokenName(agentName: string, purpose: BoundTokenPurpose = 'install'): string {
  return `${purpose === 'rekey' ? 'new key for agent' : 'for agent'} ${agentName}`.slice(0, ENROLLMENT_TOKEN_LIMITS.nameLength);
}

/** Writes the token's metadata and hash inside `tx` (after the transaction's reads). */
export function writeBoundToken(
  db: Firestore,
  tx: Transaction,
  bound: BoundToken,
  agent: { workspaceId: string; agentId: string; name: string; createdBy: PersonRef },
  purpose: BoundTokenPurpose = 'install',
): void {
  const { tokenId, hash } = bound.generated;
  tx.create(db.doc(paths.enrollmentToken(agent.workspaceId, tokenId)), {
    name: boundTokenName(agent.name, purpose),
    createdBy: agent.createdBy,
    createdAt: FieldValue.serverTimestamp(),
    expiresAt: bound.expiresAt,
    maxUses: 1,
    uses: 0,
    labels: {},
    revokedAt: null,
    revokedBy: null,
    lastUsedAt: null,
    agentId: agent.agentId,
  });
  tx.create(db.doc(paths.enrollmentSecret(tokenId)), { workspaceId: agent.workspaceId, hash, createdAt: FieldValue.serverTimestamp() });
}

/**
 * The bound tokens of an agent not yet revoked, read inside `tx` (before its writes): what
 * revokeAgent revokes with the agent. An equality on one field, served by its automatic index.
 */
export async function readLiveBoundTokens(db: Firestore, tx: Transaction, workspaceId: string, agentId: string) {
  const tokens = await tx.get(db.collection(paths.enrollmentTokens(workspaceId)).where('agentId', '==', agentId));
  return tokens.docs.filter((token) => token.get('revokedAt') == null);
}
