// Callable `enrollAgent`: a host enrolls itself with an enrollment token (the install command's
// `--token`, the agent's `enroll` verb). No Firebase sign-in: the token travels in the
// X-Vigil-Enrollment-Token header (never a URL), the body is `{data: {machineId, hostname,
// agentVersion?, labels?}}`. In order:
//   1. the body is within ENROLLMENT_TOKEN_LIMITS.requestBytes, else `invalid-argument`;
//   2. the token has the Vigil format, else `permission-denied`, nothing read;
//   3. the body passes enrollAgentInputSchema, else `invalid-argument` naming the paths;
//   4. in one transaction: enrollmentSecrets/{tokenId} exists and the secret's hash matches
//      (constant time), and its metadata exists, else `permission-denied` with the same message as
//      step 2 (a caller learns nothing about which); the token is not revoked, expired or used up,
//      else `failed-precondition` saying which; its rate limit has room, else `resource-exhausted`
//      with `retryAfterSeconds`; then the machine's agent in the workspace (machineIdHash) gets a
//      new key, its old one revoked (`reused: true`), or a new agent is made within the agent
//      cap; a token bound to an agent (createAgent's or rotateAgentKey's, bound-token.ts) gives
//      that agent its key instead, if it still exists and is not revoked (it takes the machine's id
//      with it; `reused` when the agent had a key before); the use is counted and the enrollment
//      audited (agent.enrolled). A refusal writes nothing.
// The agent key is in the reply body only, never in a log line.
import {
  ENROLLMENT_TOKEN_HEADER,
  ENROLLMENT_TOKEN_LIMITS,
  enrollAgentInputSchema,
  enrollmentSecretSchema,
  enrollmentTokenSchema,
  paths,
  parseEnrollmentToken,
  type EnrollAgentResult,
} from '@vigil/schema';
import { FieldValue, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase/admin.js';
import { auditInTransaction } from '../audit/audit-writer.js';
import { requestIp } from '../audit/audit-entry.js';
import { secretMatches } from '../agents/api-keys.js';
import { issueKey } from '../agents/issue-key.js';
import { newAgentFields, requireAgentRoom, workspaceInterval } from '../agents/new-agent.js';
import { readCurrentKey, writeRotation } from '../agents/rotate-agent-key.js';
import { parseInput } from '../validation/parse-input.js';
import { enrollDecision, takeEnrollment, tokenRefusal } from './enrollment-policy.js';

/** Node lower-cases header names; the header's one home is `@vigil/schema/constants`. */
const TOKEN_HEADER = ENROLLMENT_TOKEN_HEADER.toLowerCase();

function refuseToken(): never {
  // One answer for a missing, malformed, unknown or wrong token: a caller learns nothing about which.
  throw new HttpsError('permission-denied', 'The enrollment token is missing, unknown or wrong.');
}

/** A real token that may not enroll now; a bound one says how to get a new install command. */
function tokenRefused(reason: string, bound: boolean): HttpsError {
  const message = bound
    ? `This install command's enrollment token is ${reason}: it enrolls its agent once, within ${ENROLLMENT_TOKEN_LIMITS.boundTokenHours} h of its creation. For a new command, create the agent again, or use Rotate key on its row in the dashboard.`
    : `This enrollment token is ${reason}. Ask an owner or admin of the workspace for a new one.`;
  return new HttpsError('failed-precondition', message, { reason });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The larger of the body's declared Content-Length and what arrived (as ingest measures a report). */
function bodyBytes(request: CallableRequest<unknown>): number {
  const raw = (request.rawRequest as { rawBody?: Buffer }).rawBody;
  const received = raw ? raw.length : Buffer.byteLength(JSON.stringify(request.data ?? null));
  const declared = Number(headerValue(request.rawRequest.headers['content-length']));
  return Number.isFinite(declared) ? Math.max(declared, received) : received;
}

/** Whether any key was ever issued to the agent (its rotated-out keys stay until it is deleted). */
async function hasAnyKey(db: Firestore, tx: Transaction, workspaceId: string, agentId: string): Promise<boolean> {
  const keys = await tx.get(db.collection(paths.agentKeys()).where('workspaceId', '==', workspaceId).where('agentId', '==', agentId).limit(1));
  return !keys.empty;
}

export async function enrollAgent(request: CallableRequest<unknown>): Promise<EnrollAgentResult> {
  const bytes = bodyBytes(request);
  if (bytes > ENROLLMENT_TOKEN_LIMITS.requestBytes) {
    throw new HttpsError('invalid-argument', `The request is ${bytes} bytes; the limit is ${ENROLLMENT_TOKEN_LIMITS.requestBytes}.`, {
      issues: [{ path: '', message: `request larger than ${ENROLLMENT_TOKEN_LIMITS.requestBytes} bytes` }],
    });
  }
  const presented = parseEnrollmentToken(headerValue(request.rawRequest.headers[TOKEN_HEADER]));
  if (!presented) refuseToken();
  const input = parseInput(enrollAgentInputSchema, request.data);
  const db = firestore();

  return db.runTransaction(async (tx) => {
    const secret = await tx.get(db.doc(paths.enrollmentSecret(presented.tokenId)));
    const stored = enrollmentSecretSchema.safeParse(secret.data());
    if (!stored.success || !secretMatches(presented.secret, stored.data.hash)) refuseToken();
    const { workspaceId } = stored.data;
    const tokenRef = db.doc(paths.enrollmentToken(workspaceId, presented.tokenId));
    const tokenDoc = await tx.get(tokenRef);
    // Gone with its workspace, or malformed: nothing in it can be trusted, refused like an unknown token.
    const token = enrollmentTokenSchema.safeParse(tokenDoc.data());
    if (!token.success) {
      if (tokenDoc.exists) logger.warn('enrollment token refused: malformed token document', { workspaceId, tokenId: presented.tokenId });
      refuseToken();
    }
    const nowMs = Date.now();
    const refusal = tokenRefusal(
      { revoked: token.data.revokedAt !== null, expiresAtMs: token.data.expiresAt.toMillis(), maxUses: token.data.maxUses, uses: token.data.uses },
      nowMs,
    );
    const boundAgentId = token.data.agentId;
    if (refusal) throw tokenRefused(refusal, boundAgentId !== undefined);
    const budget = takeEnrollment(tokenDoc.get('enrollBudget'), nowMs);
    if (!budget.allowed) {
      throw new HttpsError('resource-exhausted', `Too many enrollments with this token; retry in ${budget.retryAfterSeconds} s.`, {
        retryAfterSeconds: budget.retryAfterSeconds,
      });
    }
    const workspace = await tx.get(db.doc(paths.workspace(workspaceId)));
    if (!workspace.exists) refuseToken();
    // A bound token (createAgent's, bound-token.ts) enrolls its agent and no other.
    const bound = boundAgentId === undefined ? undefined : await tx.get(db.doc(paths.agent(workspaceId, boundAgentId)));
    if (bound && !bound.exists) throw tokenRefused('for an agent that was deleted', true);
    if (bound && bound.get('revokedAt') != null) throw tokenRefused('for an agent that was revoked', true);
    const machines = await tx.get(db.collection(paths.agents(workspaceId)).where('machineIdHash', '==', input.machineId).limit(1));
    const machineAgent = machines.docs[0];
    const existing = bound ?? machineAgent;
    const decision = enrollDecision({
      existing: existing ? { agentId: existing.id, labels: existing.get('labels') } : undefined,
      hostname: input.hostname,
      tokenLabels: token.data.labels,
      hostLabels: input.labels,
    });
    if (decision.action === 'refuse') {
      throw new HttpsError('invalid-argument', `Invalid request. labels: ${decision.problem}`, {
        issues: [{ path: 'labels', message: decision.problem }],
      });
    }

    let reply: EnrollAgentResult;
    if (decision.action === 'reuse') {
      // enrollDecision reuses only the agent it was given.
      const agent = existing!;
      // Reads first (a transaction reads before it writes): the key the rotation revokes.
      const oldKey = await readCurrentKey(db, tx, agent);
      // A bound token's agent without a current key: never enrolled (createAgent's token), or its key
      // was revoked by rotateAgentKey (which leaves keyId null): then this is a re-key too.
      const hadKey = oldKey?.exists === true || (bound !== undefined && (await hasAnyKey(db, tx, workspaceId, agent.id)));
      // The machine is the bound agent's from now on: a later fleet enrollment of it re-keys this
      // agent, not the one it had before (which keeps its history and goes silent).
      const machineMoves = bound !== undefined && machineAgent !== undefined && machineAgent.id !== bound.id;
      const issued = writeRotation(db, tx, workspaceId, agent, oldKey, {
        labels: decision.labels,
        ...(bound ? { machineIdHash: input.machineId } : {}),
      });
      if (machineMoves) tx.update(machineAgent.ref, { machineIdHash: FieldValue.delete() });
      const name = agent.get('name') as unknown;
      const interval = agent.get('intervalSeconds') as unknown;
      reply = {
        workspaceId,
        agentId: agent.id,
        name: typeof name === 'string' ? name : input.hostname,
        key: issued.key,
        keyPrefix: issued.keyPrefix,
        reportingIntervalSeconds: typeof interval === 'number' ? interval : workspaceInterval(workspace),
        // A bound token's agent had no key before its first enrollment.
        reused: bound === undefined || hadKey,
      };
    } else {
      await requireAgentRoom(db, tx, workspaceId, workspace);
      const agentRef = db.collection(paths.agents(workspaceId)).doc();
      const issued = issueKey(db, tx, workspaceId, agentRef.id);
      tx.create(agentRef, {
        ...newAgentFields(workspace, {
          name: decision.name,
          description: '',
          // Whoever made the token let this host in.
          createdBy: token.data.createdBy.uid,
          keyId: issued.keyId,
          keyPrefix: issued.keyPrefix,
        }),
        agentVersion: input.agentVersion ?? null,
        labels: decision.labels,
        machineIdHash: input.machineId,
        enrolledBy: { tokenId: presented.tokenId },
      });
      reply = {
        workspaceId,
        agentId: agentRef.id,
        name: decision.name,
        key: issued.key,
        keyPrefix: issued.keyPrefix,
        reportingIntervalSeconds: workspaceInterval(workspace),
        reused: false,
      };
    }
    tx.update(tokenRef, { uses: FieldValue.increment(1), lastUsedAt: FieldValue.serverTimestamp(), enrollBudget: budget.budget });
    auditInTransaction(tx, workspaceId, {
      // No person acts here: the host, with the token its creator made.
      actor: { type: 'system' },
      action: 'agent.enrolled',
      target: { type: 'agent', id: reply.agentId, name: reply.name },
      after: {
        name: reply.name,
        keyPrefix: reply.keyPrefix,
        labels: decision.labels,
        reused: reply.reused,
        tokenId: presented.tokenId,
        tokenName: token.data.name,
        hostname: input.hostname,
      },
      ip: requestIp(request.rawRequest),
      retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
    });
    return reply;
  });
}
