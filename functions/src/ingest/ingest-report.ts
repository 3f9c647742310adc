// Callable `ingestReport`: where every agent report enters Vigil.
//   1. the key (X-Vigil-Key header) has the Vigil format, else `unauthenticated`, nothing read;
//   2. the body is within the size limit, else `invalid-argument`;
//   3. agentKeys/{keyId} exists, is not revoked and the secret's hash matches (constant time);
//   4. the report passes the zod schema, else `invalid-argument` naming the paths;
//   5. the agent's token bucket has room, else `resource-exhausted` with a retry hint;
//   6. one batch creates reports/{reportId} and updates the agent: create() makes a retried
//      reportId fail as a whole, so it is acknowledged as a duplicate and stored once.
// Cost per accepted report: 2 reads (key, agent), 2 writes (report, agent); a third write, the
// agent_online event, only when an offline agent comes back.
import { LIMITS, paths, parseApiKey, reportSchema, summarizeIssues, type IngestReply } from '@vigil/schema';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { eventDocument } from '../alerts/event-document.js';
import { secretMatches } from '../agents/api-keys.js';
import { firestore } from '../shared/admin.js';
import { factsFromReport } from './agent-update.js';
import { takeIngestToken } from './rate-limit.js';

export const AGENT_KEY_HEADER = 'x-vigil-key';
/** The callable envelope `{"data": …}` around the report. */
const ENVELOPE_BYTES = 64;
const ALREADY_EXISTS = 6;

function refuseKey(): never {
  // One answer for missing, malformed, unknown and revoked keys: a caller learns nothing about which.
  throw new HttpsError('unauthenticated', 'The agent key is missing, unknown or revoked.');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function lastSeenIso(value: unknown): string | null {
  return value instanceof Timestamp ? value.toDate().toISOString() : null;
}

function bodyBytes(request: CallableRequest<unknown>): number {
  const raw = (request.rawRequest as { rawBody?: Buffer }).rawBody;
  return raw ? raw.length : Buffer.byteLength(JSON.stringify(request.data ?? null));
}

export async function ingestReport(request: CallableRequest<unknown>): Promise<IngestReply> {
  const presented = parseApiKey(headerValue(request.rawRequest.headers[AGENT_KEY_HEADER]));
  if (!presented) refuseKey();

  const bytes = bodyBytes(request);
  if (bytes > LIMITS.reportBytes + ENVELOPE_BYTES) {
    throw new HttpsError('invalid-argument', `The report is ${bytes} bytes; the limit is ${LIMITS.reportBytes}.`, {
      issues: [{ path: '', message: `report larger than ${LIMITS.reportBytes} bytes` }],
    });
  }

  const db = firestore();
  const key = await db.doc(paths.agentKey(presented.keyId)).get();
  if (!key.exists || key.get('revokedAt') != null || !secretMatches(presented.secret, key.get('hash'))) refuseKey();
  const workspaceId = key.get('workspaceId') as unknown;
  const agentId = key.get('agentId') as unknown;
  if (typeof workspaceId !== 'string' || typeof agentId !== 'string') refuseKey();

  const parsed = reportSchema.safeParse(request.data);
  if (!parsed.success) {
    const issues = summarizeIssues(parsed.error);
    const first = issues[0];
    throw new HttpsError('invalid-argument', `Invalid report. ${first?.path ? `${first.path}: ` : ''}${first?.message ?? ''}`, {
      issues,
    });
  }
  const report = parsed.data;

  const agentRef = db.doc(paths.agent(workspaceId, agentId));
  const agent = await agentRef.get();
  if (!agent.exists || agent.get('revokedAt') != null || agent.get('keyId') !== presented.keyId) refuseKey();
  const intervalSeconds = Number(agent.get('intervalSeconds')) || 300;

  const decision = takeIngestToken(agent.get('ingestBudget'), Date.now(), intervalSeconds);
  if (!decision.allowed) {
    throw new HttpsError(
      'resource-exhausted',
      `Reporting much faster than every ${intervalSeconds} s; retry in ${decision.retryAfterSeconds} s.`,
      { retryAfterSeconds: decision.retryAfterSeconds },
    );
  }

  const batch = db.batch();
  batch.create(db.doc(paths.report(workspaceId, agentId, report.reportId)), {
    ...report,
    agentId,
    receivedAt: FieldValue.serverTimestamp(),
  });
  if (agent.get('status') === 'offline') {
    // Back from silence: the recovery event (emailed by the event trigger). Its id names this report,
    // so a retried report cannot raise it twice.
    batch.create(
      db.doc(paths.event(workspaceId, `${agentId}_${report.reportId}_agent_online`)),
      eventDocument(
        { agentId, agentName: String(agent.get('name') ?? agentId), hostname: report.host.hostname ?? null, reportId: report.reportId },
        { kind: 'agent_online', solutionIds: [], details: { lastSeenAt: lastSeenIso(agent.get('lastSeenAt')) } },
        FieldValue.serverTimestamp(),
      ),
    );
  }
  batch.update(agentRef, {
    status: 'online',
    lastSeenAt: FieldValue.serverTimestamp(),
    ingestBudget: decision.budget,
    ...factsFromReport(report, agent.get('lastCollectedAt'), agent.get('testsHistory')),
  });
  try {
    await batch.commit();
  } catch (error) {
    if ((error as { code?: unknown }).code === ALREADY_EXISTS) {
      return { accepted: true, duplicate: true, reportId: report.reportId, intervalSeconds };
    }
    throw error;
  }
  logger.info('report accepted', { workspaceId, agentId, reportId: report.reportId, solutions: report.solutions.length });
  return { accepted: true, duplicate: false, reportId: report.reportId, intervalSeconds };
}
