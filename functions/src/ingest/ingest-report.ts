// Callable `ingestReport`: where every agent report enters Vigil.
//   1. the body is within the size limit (its declared Content-Length and what arrived), else
//      `invalid-argument`: nothing else looked at;
//   2. the key (X-Vigil-Key header) has the Vigil format, else `unauthenticated`, nothing read;
//   3. the key id was not refused in the last minute (refused-keys.ts), agentKeys/{keyId} exists,
//      passes agentKeySchema, is not revoked and the secret's hash matches (constant time), and the
//      agent it names exists, passes ingestAgentSchema, is not revoked and still has this key (or
//      has it as a key rotation's pending key, agents/key-rotation.ts: then this report's write
//      makes it the agent's key and revokes the old one);
//   4. the report passes the zod schema, else `invalid-argument` naming the paths;
//   5. a live report whose reportId is the agent's lastReportId is a retry already applied:
//      acknowledged as a duplicate, nothing written;
//   6. the agent's token bucket has room, else `resource-exhausted` with a retry hint;
//   7. its time is received (receipt.ts): collectedAt clamped to the receipt time when more than
//      LIMITS.clockSkewSeconds ahead, the agent's next receipt sequence stamped on it;
//   8. the store decision (store-decision.ts): the report document is written only when its
//      content changed, for a failure streak up to the threshold, or as the daily checkpoint;
//   9. one batch updates the agent (everything the report brings, stored or not: agent-update.ts)
//      and, when stored, creates reports/{reportId} (storedReportSchema: the report and the stamps
//      the report trigger reads), the update conditional on the agent document being unchanged
//      since it was read: create() makes a retried stored reportId fail as a whole (acknowledged
//      as a duplicate, stored once); a changed agent (another report of the same agent at the same
//      moment, a revocation) makes it fail too, and ingest reads the agent again and decides again.
//      Or, for an unchanged report that deferred-write.ts allows, no write at all: the reply's
//      ticket and the cache carry what it would have written to the agent's next report's write.
// Every accepted or duplicate reply carries a `ticket` (agent-ticket.ts): the agent as this write
// left it, authenticated, which the agent sends back with its next report (AGENT_TICKET_HEADER).
// Whichever instance that report reaches takes the newer of its cached copy and the ticket as the
// agent it read, under the same conditional write: a stale one fails it and the agent is read.
// Cost per accepted report: when the instance's cached agent or the ticket is current
// (agent-cache.ts), no read and one write (the agent; none for a deferred report), plus the report
// when it is stored; when
// both are stale, the refused commit, one read (the agent) and the commit; the first report an
// instance sees of a key reads the key (and the agent, without a valid ticket); an instance counts
// the project's agents for the report slots' lanes (fleet-size.ts: a read per 1,000 agents) on its
// first report, which waits for it at most 2 s, and hourly in the background. One more write,
// the agent_online event (events/make-event.ts), only when an offline agent comes back; one more,
// once per key ever, when a key from before tickets gets its ticket secret. A key refused in the
// last minute costs no read at all.
import {
  AGENT_KEY_HEADER,
  AGENT_TICKET_HEADER,
  DEFAULT_WORKSPACE_SETTINGS,
  LIMITS,
  agentKeySchema,
  displayKeyPrefix,
  ingestAgentSchema,
  labelPairs,
  paths,
  parseApiKey,
  reportSchema,
  summarizeIssues,
  type IngestReply,
  type Report,
  type StoredReport,
} from '@vigil/schema';
import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { secretMatches } from '../agents/api-keys.js';
import { servedAgentBundle } from '../agents/agent-assets.js';
import { asksForRotation, automaticRotation, automaticRotationDue, keyStanding, promotion } from '../agents/key-rotation.js';
import { auditBatch } from '../audit/audit-writer.js';
import { expiresAt, retentionDays } from '../alerts/retention.js';
import { judgedIntervalSeconds, silenceDeadlineMs } from '../alerts/silence.js';
import { agentOnlineEvent } from '../events/make-event.js';
import { firestore } from '../firebase/admin.js';
import { dashboardUrl } from '../params.js';
import { AgentCache, type CachedAgent, type CachedKey } from './agent-cache.js';
import { issueTicket, newTicketSecret, readTicket } from './agent-ticket.js';
import { agentChangesFromReport, summaryChanged } from './agent-update.js';
import { takeIngestToken } from './rate-limit.js';
import { nextReceiptSequence, receiveCollectedAt } from './receipt.js';
import { RefusedKeys } from './refused-keys.js';
import { mayDeferAgentWrite, writtenDeadlineMs } from './deferred-write.js';
import { FleetSize } from './fleet-size.js';
import { nextReportInSeconds } from './report-phase.js';
import { nextUnchangedReports, storeDecision, storeFactsOf } from './store-decision.js';
import { UpdateOfferSource } from './update-offer.js';

/** Node lower-cases header names; the header's one home is `@vigil/schema/constants`. */
const KEY_HEADER = AGENT_KEY_HEADER.toLowerCase();
const TICKET_HEADER = AGENT_TICKET_HEADER.toLowerCase();
/** The callable envelope `{"data": …}` around the report. */
const ENVELOPE_BYTES = 64;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;
const ATTEMPTS = 3;

const cache = new AgentCache();
const refused = new RefusedKeys();
/** The project's agent count for the report slots' lanes: counted on an instance's first report, then hourly. */
export const projectFleetSize = new FleetSize(
  async () => (await firestore().collectionGroup('agents').count().get()).data().count,
  (message, fields) => logger.warn(message, fields),
);
const offers = new UpdateOfferSource(
  servedAgentBundle,
  () => dashboardUrl.value(),
  (message, fields) => logger.warn(message, fields),
);

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

/**
 * Why a stored document failed its schema, for the log: the paths of the fields at fault and what
 * is wrong with them, never their values (a key document holds the secret's hash).
 */
function schemaFault(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`).join('; ');
}

/**
 * The body's size: the larger of what its Content-Length declares and what arrived. By the time
 * the handler runs the platform has read and parsed the whole body (docs/architecture.md, "Ingest"),
 * so this is the earliest our code can refuse it, before any Firestore read or schema check.
 */
function bodyBytes(request: CallableRequest<unknown>): number {
  const raw = (request.rawRequest as { rawBody?: Buffer }).rawBody;
  const received = raw ? raw.length : Buffer.byteLength(JSON.stringify(request.data ?? null));
  const declared = Number(headerValue(request.rawRequest.headers['content-length']));
  return Number.isFinite(declared) ? Math.max(declared, received) : received;
}

/** Refuses a key id for its own sake (unknown, revoked, its agent gone or re-keyed), remembered for a minute. */
function refuseKeyId(keyId: string): never {
  cache.forget(keyId);
  refused.add(keyId);
  refuseKey();
}

/**
 * Whichever copy of the agent is the newer: by update time, then by receipt sequence (a deferred
 * report's copy, deferred-write.ts, has the document's update time and the next sequence); a ticket
 * of the cached copy ties: either will do.
 */
function newer(a: CachedAgent | undefined, b: CachedAgent | undefined): CachedAgent | undefined {
  if (!a || !b) return a ?? b;
  const [x, y] = [a.updateTime, b.updateTime];
  if (y.seconds !== x.seconds || y.nanoseconds !== x.nanoseconds)
    return y.seconds > x.seconds || (y.seconds === x.seconds && y.nanoseconds > x.nanoseconds) ? b : a;
  return sequenceOf(b) > sequenceOf(a) ? b : a;
}

function sequenceOf(entry: CachedAgent): number {
  const value = entry.agent.receiptSequence;
  return typeof value === 'number' && Number.isFinite(value) ? value : -1;
}

function millisOf(value: unknown): number | null {
  return value instanceof Timestamp ? value.toMillis() : null;
}

function lastCrashOf(health: unknown): unknown {
  return health !== null && typeof health === 'object' && Object.hasOwn(health, 'lastCrash')
    ? (health as { lastCrash?: unknown }).lastCrash
    : undefined;
}

/**
 * The key's agent: the newer of the cached copy and the ticket's; with `stale` (that copy failed a
 * conditional write), or with neither, the agent read, and the key too unless this instance read
 * it before. Refuses keys that do not check out, whichever way the agent came.
 */
async function authenticate(
  db: Firestore,
  keyId: string,
  secret: string,
  stale: boolean,
  ticket: string | undefined,
): Promise<{ entry: CachedAgent; sendsTickets: boolean }> {
  if (refused.has(keyId)) refuseKey();
  const cached = cache.get(keyId);
  const key = cached ?? cache.getKey(keyId) ?? (await readKey(db, keyId));
  // A wrong secret is refused without remembering the key id: it says nothing about the key.
  if (!secretMatches(secret, key.hash)) refuseKey();
  // The ticket only once the secret matched: a caller without the key costs no MAC or inflate.
  const ticketed = !stale && key.ticketSecret ? readTicket(key.ticketSecret, keyId, key, ticket) : undefined;
  let entry = stale ? undefined : newer(cached, ticketed && { ...ticketed, ticketSecret: key.ticketSecret });
  // A copy not read now is read before it refuses the key: a pending key's 24 h (key-rotation.ts)
  // may have run out on a copy older than the report that promoted it.
  if (entry && !keyWorks(entry, keyId)) entry = undefined;
  if (!entry) {
    entry = await readAgent(db, key, keyId);
    cache.set(keyId, entry);
  }
  // Revoking, rotating and deleting all change the agent document: checked however it was obtained.
  if (!keyWorks(entry, keyId)) refuseKeyId(keyId);
  return { entry, sendsTickets: ticketed !== undefined };
}

/** The agent is not revoked and holds this key: its current one, or the pending one of a rotation (key-rotation.ts). */
function keyWorks(entry: CachedAgent, keyId: string): boolean {
  return entry.agent.revokedAt == null && keyStanding(entry.agent, keyId, Date.now()) !== 'refused';
}

/**
 * Gives a key from before tickets its ticket secret, conditional on the key document being as read:
 * when it changed meanwhile (another instance gave it one, a revocation, a deletion) the key is
 * read again. One write per such key, ever.
 */
async function addTicketSecret(db: Firestore, keyId: string, keyDoc: DocumentSnapshot, key: CachedKey): Promise<CachedKey> {
  const ticketSecret = newTicketSecret();
  try {
    await keyDoc.ref.update({ ticketSecret }, { lastUpdateTime: keyDoc.updateTime! });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== FAILED_PRECONDITION && code !== NOT_FOUND) throw error;
    return readKey(db, keyId, false);
  }
  const withSecret = { ...key, ticketSecret };
  cache.setKey(keyId, withSecret);
  return withSecret;
}

/** agentKeys/{keyId}, remembered whatever secret came with it (agent-cache.ts); refuses a key id that does not check out. */
async function readKey(db: Firestore, keyId: string, addSecret = true): Promise<CachedKey> {
  const keyDoc = await db.doc(paths.agentKey(keyId)).get();
  if (!keyDoc.exists) refuseKeyId(keyId);
  // A key document that fails its schema is refused like a missing one: nothing in it can be trusted.
  const parsed = agentKeySchema.safeParse(keyDoc.data());
  if (!parsed.success) {
    logger.warn('agent key refused: malformed key document', { keyId, fault: schemaFault(parsed.error) });
    refuseKeyId(keyId);
  }
  if (parsed.data.revokedAt != null) refuseKeyId(keyId);
  const { hash, workspaceId, agentId, ticketSecret, createdAt } = parsed.data;
  // When the key was issued: automatic rotation's age (key-rotation.ts), for every key, older ones too.
  const issuedAtMs = createdAt.toMillis();
  const key: CachedKey = { hash, workspaceId, agentId, issuedAtMs, ...(ticketSecret === undefined ? {} : { ticketSecret }) };
  if (ticketSecret === undefined && addSecret) return addTicketSecret(db, keyId, keyDoc, key);
  cache.setKey(keyId, key);
  return key;
}

async function readAgent(db: Firestore, key: CachedKey, keyId: string): Promise<CachedAgent> {
  const agent = await db.doc(paths.agent(key.workspaceId, key.agentId)).get();
  if (!agent.exists || !agent.updateTime) refuseKeyId(keyId);
  // An agent document that fails the schema ingest reads it by is refused like a missing one.
  const parsed = ingestAgentSchema.safeParse(agent.data());
  if (!parsed.success) {
    logger.warn('agent key refused: malformed agent document', {
      keyId,
      workspaceId: key.workspaceId,
      agentId: key.agentId,
      fault: schemaFault(parsed.error),
    });
    refuseKeyId(keyId);
  }
  return { ...key, agent: parsed.data, updateTime: agent.updateTime };
}

/**
 * A reply, with the ticket for `entry` when the key has a ticket secret and the agent fits in one,
 * `rotateKey` while a key rotation asks this (current) key's agent to fetch its next key, and the
 * update offer when the agent reported another version than the dashboard serves (update-offer.ts).
 */
function reply(
  keyId: string,
  entry: CachedAgent,
  fields: Omit<IngestReply, 'accepted' | 'ticket' | 'rotateKey' | 'update'>,
  reportedVersion: string,
  projectAgents: number,
  ticket: string | undefined = ticketFor(keyId, entry),
): IngestReply {
  const update = offers.offerFor(reportedVersion);
  return {
    accepted: true,
    ...fields,
    ...(ticket === undefined ? {} : { ticket }),
    ...(asksForRotation(entry.agent, keyId) ? { rotateKey: true as const } : {}),
    ...(update === undefined ? {} : { update }),
    // The agent's report slot (report-phase.ts), from the interval this reply announces.
    nextReportInSeconds: nextReportInSeconds({
      workspaceId: entry.workspaceId,
      agentId: entry.agentId,
      intervalSeconds: fields.intervalSeconds,
      projectAgents,
      nowMs: Date.now(),
    }),
  };
}

function ticketFor(keyId: string, entry: CachedAgent): string | undefined {
  return entry.ticketSecret ? issueTicket(entry.ticketSecret, keyId, entry) : undefined;
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
  // Size first: the cheapest check, and it needs nothing from the caller but the body.
  const bytes = bodyBytes(request);
  if (bytes > LIMITS.reportBytes + ENVELOPE_BYTES) {
    throw new HttpsError('invalid-argument', `The report is ${bytes} bytes; the limit is ${LIMITS.reportBytes}.`, {
      issues: [{ path: '', message: `report larger than ${LIMITS.reportBytes} bytes` }],
    });
  }
  const presented = parseApiKey(headerValue(request.rawRequest.headers[KEY_HEADER]));
  if (!presented) refuseKey();
  const ticket = headerValue(request.rawRequest.headers[TICKET_HEADER]);

  const db = firestore();
  let report: Report | undefined;
  let projectAgents: number | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    // The key first: a caller without a valid key learns nothing about what it sent, and costs no parse.
    const { entry, sendsTickets } = await authenticate(db, presented.keyId, presented.secret, attempt > 1, ticket);
    report ??= parseReport(request.data);
    // The instance's count (fleet-size.ts: waited for on its first report only); after the key, so
    // no anonymous caller makes it count.
    projectAgents ??= await projectFleetSize.current();
    const { workspaceId, agentId, agent } = entry;
    const { intervalSeconds } = agent;

    // A retried report that was not stored: the agent document already has it (nothing written).
    // A retried stored report is refused by its create() below, however many reports came since.
    if (!report.backfill && report.reportId === agent.lastReportId) {
      return reply(presented.keyId, entry, { duplicate: true, reportId: report.reportId, intervalSeconds }, report.agentVersion, projectAgents);
    }

    const budget = takeIngestToken(agent.ingestBudget, Date.now(), intervalSeconds);
    if (!budget.allowed) {
      throw new HttpsError('resource-exhausted', `Reporting much faster than every ${intervalSeconds} s; retry in ${budget.retryAfterSeconds} s.`, {
        retryAfterSeconds: budget.retryAfterSeconds,
      });
    }

    const agentRef = db.doc(paths.agent(workspaceId, agentId));
    const receivedAtMs = Date.now();
    const { collectedAt, sentCollectedAt, clockSkewSeconds } = receiveCollectedAt(report.collectedAt, receivedAtMs);
    const received: Report = { ...report, collectedAt };
    const receiptSequence = nextReceiptSequence(agent.receiptSequence);
    const live = report.backfill !== true;
    const stored = storeFactsOf(agent);
    const decision = storeDecision({ report: received, agent: stored, nowMs: receivedAtMs });
    const facts = agentChangesFromReport(received, agent, clockSkewSeconds, agentRef.path);
    // The first report made with a rotation's pending key makes it the agent's key (key-rotation.ts);
    // the old key is revoked in the same batch, so exactly one of the two works after it.
    const promotes = keyStanding(agent, presented.keyId, receivedAtMs) === 'pending';
    // The workspace's automatic rotation (settings.keyRotationDays, copied on the agent): a live report
    // made with a key that old asks for a rotation in this same write, once (then one is pending).
    const rotates = live && automaticRotationDue(agent, presented.keyId, entry.issuedAtMs, receivedAtMs);
    const silence = { intervalSeconds, announcedIntervalSeconds: intervalSeconds };
    const deadlineIfWrittenMs = silenceDeadlineMs(receivedAtMs, silence);
    const changes = {
      status: 'online' as const,
      ingestBudget: budget.budget,
      receiptSequence,
      // The interval this reply tells the agent: silence is judged by it (silence.ts), so lowering
      // the workspace's interval cannot make an agent still on the old one look late.
      announcedIntervalSeconds: intervalSeconds,
      // The silence deadline the offline detector queries (detect-silent-agents.ts), later for an
      // agent whose next report may be deferred (deferred-write.ts).
      offlineAt: Timestamp.fromMillis(writtenDeadlineMs(deadlineIfWrittenMs, judgedIntervalSeconds(silence), sendsTickets)),
      ...facts,
      // A backfill report never moves the content the next report is compared with.
      ...(live ? { contentHash: decision.contentHash, unchangedReports: nextUnchangedReports(stored, decision.contentHash) } : {}),
      ...(live && decision.store ? { lastStoredReportId: report.reportId } : {}),
      ...(promotes ? promotion(presented.keyId) : {}),
      ...(rotates ? { keyRotation: automaticRotation(receivedAtMs) } : {}),
    };
    // Sentinels apart: the cache below keeps what the write made of them.
    const serverTimes = {
      lastSeenAt: FieldValue.serverTimestamp(),
      ...(live && decision.store ? { lastStoredAt: FieldValue.serverTimestamp() } : {}),
      // Only what the fleet summary counts (summarizeFleets reads agents changed since its last run).
      ...(agent.status !== 'online' || summaryChanged(agent.summary, facts.summary) ? { changedAt: FieldValue.serverTimestamp() } : {}),
    };

    // An unchanged report may leave the agent document as it is (deferred-write.ts): its state rides
    // in the reply's ticket and this instance's cache, with the document's lastSeenAt, deadline and
    // update time, and the agent's next report writes it.
    const defers = mayDeferAgentWrite({
      live,
      stored: decision.store,
      wasOnline: agent.status === 'online',
      changesKey: promotes || rotates,
      summaryChanged: serverTimes.changedAt !== undefined,
      sendsTickets,
      receiptSequence,
      receivedAtMs,
      storedDeadlineMs: millisOf(agent.offlineAt),
      deadlineIfWrittenMs,
      onDocument: { agentVersion: agent.agentVersion, update: agent.update, lastCrash: lastCrashOf(agent.health) },
      inReport: { agentVersion: facts.agentVersion, update: facts.update, lastCrash: lastCrashOf(facts.health) },
    });
    const deferred: CachedAgent | undefined = defers
      ? { ...entry, agent: { ...agent, ...changes, lastSeenAt: agent.lastSeenAt, offlineAt: agent.offlineAt } }
      : undefined;
    const deferredTicket = deferred ? ticketFor(presented.keyId, deferred) : undefined;
    if (deferred && deferredTicket !== undefined) {
      cache.set(presented.keyId, deferred);
      logger.info('report accepted', {
        workspaceId,
        agentId,
        reportId: report.reportId,
        solutions: report.solutions.length,
        backfill: false,
        storedBecause: null,
        deferred: true,
      });
      return reply(
        presented.keyId,
        deferred,
        { duplicate: false, reportId: report.reportId, intervalSeconds },
        report.agentVersion,
        projectAgents,
        deferredTicket,
      );
    }
    const batch = db.batch();
    if (decision.store) {
      const document: Omit<StoredReport, 'receivedAt' | 'expireAt'> & { receivedAt: FieldValue; expireAt: Timestamp } = {
        ...received,
        // What the agent sent, when its clock was too far ahead to be believed.
        ...(sentCollectedAt === undefined ? {} : { sentCollectedAt }),
        // Receipt order, which the report trigger applies reports in (isNewerThanState).
        receiptSequence,
        agentId,
        workspaceId,
        // Stamped for the report trigger, so it need not read the agent's settings again.
        agentName: agent.name,
        labelPairs: labelPairs(agent.labels),
        failedTestThreshold: agent.failedTestThreshold ?? DEFAULT_WORKSPACE_SETTINGS.failedTestThreshold,
        retentionDays: retentionDays(agent.retentionDays),
        storedBecause: decision.reason,
        receivedAt: FieldValue.serverTimestamp(),
        // The TTL field (firestore.indexes.json); pruneOldData sweeps by it too.
        expireAt: Timestamp.fromDate(expiresAt(receivedAtMs, agent.retentionDays)),
      };
      batch.create(db.doc(paths.report(workspaceId, agentId, report.reportId)), document);
    }
    if (agent.status === 'offline') {
      // Back from silence: the recovery event (emailed by the event trigger). Its id names this
      // report, so a retried report cannot raise it twice. It happened when the agent was heard
      // again (the receipt time). Whichever report brings the agent back raises it, a backfill one
      // too: it is about the connection, which is the present.
      const made = agentOnlineEvent(
        {
          agentId,
          agentName: agent.name,
          hostname: report.host.hostname ?? null,
          labelPairs: labelPairs(agent.labels),
          reportId: report.reportId,
          receivedAtMs,
          lastSeenAt: lastSeenIso(agent.lastSeenAt),
          expireAt: expiresAt(receivedAtMs, agent.retentionDays),
        },
        FieldValue.serverTimestamp(),
      );
      batch.create(db.doc(paths.event(workspaceId, made.id)), made.document);
    }
    batch.update(agentRef, { ...changes, ...serverTimes }, { lastUpdateTime: entry.updateTime });
    if (promotes && agent.keyId !== null) batch.update(db.doc(paths.agentKey(agent.keyId)), { revokedAt: FieldValue.serverTimestamp() });
    if (rotates) {
      // Audited as the dashboard's request is (key-rotation-request.ts), with the workspace's audit
      // retention: one read and one write per agent every keyRotationDays, none on other reports.
      const workspace = await db.doc(paths.workspace(workspaceId)).get();
      auditBatch(batch, workspaceId, {
        actor: { type: 'system' },
        action: 'agent.key_rotated',
        target: { type: 'agent', id: agentId, name: agent.name },
        before: { keyPrefix: displayKeyPrefix(presented.keyId) },
        after: { rotation: 'requested', reason: 'automatic', keyRotationDays: agent.keyRotationDays },
        retentionDays: workspace.get('settings.auditRetentionDays') as unknown,
      });
    }

    let written: CachedAgent;
    try {
      const results = await batch.commit();
      const writeTime = results.at(-1)!.writeTime;
      // What this write made of the agent, so the agent's next report, here or with the ticket, needs no read.
      const agentWritten = { ...agent, ...changes, lastSeenAt: writeTime, ...(serverTimes.lastStoredAt ? { lastStoredAt: writeTime } : {}) };
      written = { ...entry, agent: agentWritten, updateTime: writeTime };
      cache.set(presented.keyId, written);
      // The rotated-out key never works again: refused here from now on without a read.
      if (promotes && agent.keyId !== null) {
        cache.forget(agent.keyId);
        refused.add(agent.keyId);
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === ALREADY_EXISTS) {
        return reply(presented.keyId, entry, { duplicate: true, reportId: report.reportId, intervalSeconds }, report.agentVersion, projectAgents);
      }
      if (code === FAILED_PRECONDITION || code === NOT_FOUND) {
        // The agent changed since we read it: read it again and decide again.
        continue;
      }
      throw error;
    }
    logger.info('report accepted', {
      workspaceId,
      agentId,
      reportId: report.reportId,
      solutions: report.solutions.length,
      backfill: !live,
      storedBecause: decision.store ? decision.reason : null,
      ...(promotes ? { keyRotated: true } : {}),
      ...(rotates ? { keyRotationRequested: 'automatic' } : {}),
      ...(sentCollectedAt === undefined ? {} : { clampedCollectedAt: true }),
    });
    return reply(presented.keyId, written, { duplicate: false, reportId: report.reportId, intervalSeconds }, report.agentVersion, projectAgents);
  }
  throw new HttpsError('aborted', 'The agent changed while this report was stored; send it again.');
}
