// Callable `ingestReport`: where every agent report enters Vigil.
//   1. the key (X-Vigil-Key header) has the Vigil format, else `unauthenticated`, nothing read;
//   2. the body is within the size limit, else `invalid-argument`;
//   3. agentKeys/{keyId} exists, is not revoked and the secret's hash matches (constant time), and the
//      agent it names exists, is not revoked and still has this key;
//   4. the report passes the zod schema, else `invalid-argument` naming the paths;
//   5. the agent's token bucket has room, else `resource-exhausted` with a retry hint;
//   6. one batch creates reports/{reportId} and updates the agent, the update conditional on the agent
//      document being unchanged since it was read: create() makes a retried reportId fail as a whole
//      (acknowledged as a duplicate, stored once); a changed agent (another report of the same agent
//      at the same moment, a revocation) makes it fail too, and ingest reads the agent again and
//      decides again.
// Cost per accepted report: when the instance's cached agent is current (agent-cache.ts), no read
// and one commit of 2 writes (report, agent); when it is stale, the refused commit, one read (the
// agent) and the commit; the first report an instance sees of a key reads the key and the agent.
// A third write, the agent_online event, only when an offline agent comes back.
import { LIMITS, paths, parseApiKey, reportSchema, summarizeIssues, type IngestReply, type Report } from '@vigil/schema';
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { eventDocument } from '../alerts/event-document.js';
import { secretMatches } from '../agents/api-keys.js';
import { firestore } from '../shared/admin.js';
import { AgentCache, type CachedAgent, type CachedKey } from './agent-cache.js';
import { factsFromReport, healthFromReport } from './agent-update.js';
import { takeIngestToken } from './rate-limit.js';

export const AGENT_KEY_HEADER = 'x-vigil-key';
/** The callable envelope `{"data": …}` around the report. */
const ENVELOPE_BYTES = 64;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const ATTEMPTS = 3;

const cache = new AgentCache();

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

/**
 * The key's agent: from the cache, or with `stale` (the cached agent failed a conditional write)
 * the agent read again, or without a cache entry the key and the agent read. Refuses keys that do
 * not check out, whichever way the agent came.
 */
async function authenticate(db: Firestore, keyId: string, secret: string, stale: boolean): Promise<CachedAgent> {
  let entry = cache.get(keyId);
  if (entry && !secretMatches(secret, entry.hash)) refuseKey();
  if (!entry) {
    const keyDoc = await db.doc(paths.agentKey(keyId)).get();
    if (!keyDoc.exists || keyDoc.get('revokedAt') != null) refuseKey();
    const workspaceId = keyDoc.get('workspaceId') as unknown;
    const agentId = keyDoc.get('agentId') as unknown;
    const hash = keyDoc.get('hash') as unknown;
    if (typeof workspaceId !== 'string' || typeof agentId !== 'string' || typeof hash !== 'string') refuseKey();
    if (!secretMatches(secret, hash)) refuseKey();
    entry = await readAgent(db, { hash, workspaceId, agentId }, keyId);
    cache.set(keyId, entry);
  } else if (stale) {
    entry = await readAgent(db, entry, keyId);
    cache.set(keyId, entry);
  }
  // Revoking, rotating and deleting all change the agent document: checked however it was obtained.
  if (entry.agent.revokedAt != null || entry.agent.keyId !== keyId) {
    cache.forget(keyId);
    refuseKey();
  }
  return entry;
}

async function readAgent(db: Firestore, key: CachedKey, keyId: string): Promise<CachedAgent> {
  const agent = await db.doc(paths.agent(key.workspaceId, key.agentId)).get();
  const data = agent.data();
  if (!data || !agent.updateTime) {
    cache.forget(keyId);
    refuseKey();
  }
  return { hash: key.hash, workspaceId: key.workspaceId, agentId: key.agentId, agent: data, updateTime: agent.updateTime };
}

function parseReport(data: unknown): Report {
  const parsed = reportSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = summarizeIssues(parsed.error);
  const first = issues[0];
  throw new HttpsError('invalid-argument', `Invalid report. ${first?.path ? `${first.path}: ` : ''}${first?.message ?? ''}`, {
    issues,
  });
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
  let report: Report | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    // The key first: a caller without a valid key learns nothing about what it sent, and costs no parse.
    const entry = await authenticate(db, presented.keyId, presented.secret, attempt > 1);
    report ??= parseReport(request.data);
    const { workspaceId, agentId, agent } = entry;
    const intervalSeconds = Number(agent.intervalSeconds) || 300;

    const decision = takeIngestToken(agent.ingestBudget, Date.now(), intervalSeconds);
    if (!decision.allowed) {
      throw new HttpsError(
        'resource-exhausted',
        `Reporting much faster than every ${intervalSeconds} s; retry in ${decision.retryAfterSeconds} s.`,
        { retryAfterSeconds: decision.retryAfterSeconds },
      );
    }

    const agentRef = db.doc(paths.agent(workspaceId, agentId));
    const facts = factsFromReport(report, agent.lastCollectedAt, agent.testsHistory);
    const health = healthFromReport(report, agent.health, facts !== undefined);
    const changes = { status: 'online', ingestBudget: decision.budget, ...facts, ...health };
    const batch = db.batch();
    batch.create(db.doc(paths.report(workspaceId, agentId, report.reportId)), {
      ...report,
      agentId,
      // Stamped for the report trigger, so it need not read the agent's settings again.
      agentName: String(agent.name ?? agentId),
      failedTestThreshold: Number(agent.failedTestThreshold) || 1,
      receivedAt: FieldValue.serverTimestamp(),
    });
    if (agent.status === 'offline') {
      // Back from silence: the recovery event (emailed by the event trigger). Its id names this
      // report, so a retried report cannot raise it twice.
      batch.create(
        db.doc(paths.event(workspaceId, `${agentId}_${report.reportId}_agent_online`)),
        eventDocument(
          { agentId, agentName: String(agent.name ?? agentId), hostname: report.host.hostname ?? null, reportId: report.reportId, occurredAt: report.collectedAt },
          { kind: 'agent_online', solutionIds: [], details: { lastSeenAt: lastSeenIso(agent.lastSeenAt) } },
          FieldValue.serverTimestamp(),
        ),
      );
    }
    batch.update(agentRef, { ...changes, lastSeenAt: FieldValue.serverTimestamp() }, { lastUpdateTime: entry.updateTime });

    try {
      const results = await batch.commit();
      const writeTime = results.at(-1)!.writeTime;
      // What this write made of the agent, so the agent's next report here needs no read.
      cache.set(presented.keyId, { ...entry, agent: { ...agent, ...changes, lastSeenAt: writeTime }, updateTime: writeTime });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === ALREADY_EXISTS) {
        return { accepted: true, duplicate: true, reportId: report.reportId, intervalSeconds };
      }
      if (code === FAILED_PRECONDITION || code === NOT_FOUND) {
        // The agent changed since we read it: read it again and decide again.
        continue;
      }
      throw error;
    }
    logger.info('report accepted', { workspaceId, agentId, reportId: report.reportId, solutions: report.solutions.length });
    return { accepted: true, duplicate: false, reportId: report.reportId, intervalSeconds };
  }
  throw new HttpsError('aborted', 'The agent changed while this report was stored; send it again.');
}
