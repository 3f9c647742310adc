// Getting every report to the ingest exactly once, whatever the network does.
//   submit: the report goes to the spool first (durably), then the spool is sent NEWEST first: the
//   present as it is, then every older report marked `backfill: true` (history: the server updates
//   no state and raises no alert from it), newest to oldest, so a host back from a long outage shows
//   its present at once even when the ingest's rate limit lets the backlog trickle in for hours (and
//   when the spool overflows, the oldest, sent last, are the ones dropped first anyway).
//   A report older than one already delivered as the present is always backfill, on later flushes
//   and after a restart too: its spool file is rewritten with `backfill: true` at once.
//   A report leaves the spool only when the ingest stored it or already had it (reportId makes a
//   resend harmless), or refused it as invalid (it never will be accepted: it must not block the queue).
//   UNAUTHENTICATED keeps everything (the key may be fixed); RESOURCE_EXHAUSTED waits as long as the
//   ingest asks; network and server errors back off exponentially with full jitter.
//   Sends are paced: at most one starts per SEND_SPACING_MS (pacing.ts: each accepted report writes
//   the agent's one Firestore document), within a drain and from one call to the next.
// The key goes into one header and nowhere else: not into logs, not into error messages.
// The ticket of each accepted reply is kept in memory (never on disk, never logged) and sent with
// the next report, whichever it is: it spares the ingest a read of the agent (protocol.ts). A
// refusal of the key drops it; a reply without one leaves none.
import { documentIdSchema, parseApiKey, type AgentUpdateOffer, type ReportInput } from '@vigil/schema';
import type { Logger } from '../log.js';
import { fixedKeys, keyFileKeys } from '../rotation/agent-keys.js';
import { fetchKeyUrlFor } from '../rotation/key-url.js';
import { retryDelayMs } from './backoff.js';
import { paceDelayMs } from './pacing.js';
import { pinnedFetch } from './pinned-fetch.js';
import { postToIngest, type DeliveryError, type IngestAnswer } from './protocol.js';
import { Spool, type SpoolEntry } from './spool.js';

export type { DeliveryError, DeliveryErrorKind } from './protocol.js';

export interface DeliveryConfig {
  endpoint: string;
  key: string;
  spoolDir: string;
  maxSpooledReports: number;
  maxSpoolBytes: number;
  requestTimeoutMs: number;
  /** The relay's certificate fingerprint (SHA-256 hex): the endpoint is a relay and only that certificate is trusted. */
  pinnedFingerprint?: string;
  /** The file `key` came from: where a key rotation keeps the new key (rotation/agent-keys.ts); without it, `key` never changes. */
  keyFile?: string;
}

export interface DeliveryOutcome {
  /** reportIds the server stored or already had (duplicates). */
  delivered: string[];
  /** Reports still waiting on disk after this attempt. */
  spooled: number;
  /** Total reports dropped so far because the spool was full. */
  dropped: number;
  /** From the server's reply. */
  intervalSeconds?: number;
  /** The report slot of the first accepted reply that named one: the wait from that reply (tick-schedule.ts). */
  nextReportInSeconds?: number;
  /** The agent version the server offers (the latest reply that named one): the updater decides (agent/src/update/). */
  update?: AgentUpdateOffer;
  error?: DeliveryError;
}

export interface DeliveryStatus {
  spooled: number;
  bytes: number;
  dropped: number;
}

export interface ProbeResult {
  reachable: boolean;
  keyValid: boolean | undefined;
  message: string;
}

export interface Delivery {
  /** Spools the report durably, then sends it, then the older spooled reports as backfill (newest first), one a second at most. */
  submit(report: ReportInput): Promise<DeliveryOutcome>;
  /** Sends what is spooled. */
  flush(): Promise<DeliveryOutcome>;
  status(): Promise<DeliveryStatus>;
  /** How long to wait before flushing again: jittered exponential backoff after failures, 0 when healthy. */
  nextRetryDelayMs(): number;
  /** For `doctor`: is the ingest reachable and does it accept the key? Stores nothing. */
  probe(): Promise<ProbeResult>;
}

export interface DeliveryDeps {
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  /** Waits out the pacing between two sends (pacing.ts); a test passes one that moves its clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** A report that could not be spooled (larger than the whole spool, or the disk refused it). */
interface Unspooled {
  reportId: string;
  json: string;
}

interface DrainResult {
  delivered: string[];
  intervalSeconds?: number;
  nextReportInSeconds?: number;
  update?: AgentUpdateOffer;
  error?: DeliveryError;
  unspooledSettled: boolean;
}

export function createDelivery(config: DeliveryConfig, deps: DeliveryDeps): Delivery {
  const { log } = deps;
  const fetchImpl = deps.fetch ?? (config.pinnedFingerprint ? pinnedFetch(config.pinnedFingerprint) : globalThis.fetch);
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const spool = new Spool(config.spoolDir, { maxReports: config.maxSpooledReports, maxBytes: config.maxSpoolBytes });

  /** Consecutive failed attempts (network, server, key); reset by any answer that proves the ingest works. */
  let failures = 0;
  let retryAt = 0;
  /** Set by RESOURCE_EXHAUSTED: nothing is sent before this time. */
  let quietUntil = 0;
  /** When the last report was sent (its start, by `now`): the next one waits until a spacing has passed. */
  let lastSendAt: number | undefined;
  /** Dropped reports not yet counted on disk because the state file could not be written. */
  let droppedInMemory = 0;
  /**
   * Spool files older than a report delivered as the present: they are history, whatever comes next.
   * Each is also rewritten on disk with `backfill: true` (markAsHistory), which is what survives a
   * restart; this set covers a file the disk refused to rewrite, for as long as this process runs.
   */
  let supersededFiles = new Set<string>();
  /** The ticket of the latest accepted (or duplicate) reply, sent with the next report. */
  let ticket: string | undefined;

  // One operation at a time: a flush from the retry timer never races a tick's submit.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  const keys = config.keyFile
    ? keyFileKeys({
        keyFile: config.keyFile,
        key: config.key,
        fetchUrl: fetchKeyUrlFor(config.endpoint),
        fetch: fetchImpl,
        timeoutMs: config.requestTimeoutMs,
        log,
      })
    : fixedKeys(config.key, log);
  // Defence in depth: whatever text we pass on, no key this process held, nor its secret part, is in it.
  function redact(text: string): string {
    const secrets = keys.known().flatMap((key) => [key, parseApiKey(key)?.secret]);
    return secrets.filter((value): value is string => Boolean(value)).reduce((clean, secret) => clean.split(secret).join('[redacted]'), text);
  }

  async function post(key: string, reportJson: string, withTicket: boolean): Promise<IngestAnswer> {
    const answer = await postToIngest({
      fetch: fetchImpl,
      endpoint: config.endpoint,
      key,
      reportJson,
      timeoutMs: config.requestTimeoutMs,
      ticket: withTicket ? ticket : undefined,
    });
    if (answer.ok) ticket = answer.reply.ticket;
    else {
      if (answer.error.kind === 'unauthenticated') ticket = undefined;
      answer.error.message = redact(answer.error.message);
    }
    return answer;
  }

  /**
   * One report with the current key. A key rotation happens here (rotation/agent-keys.ts): a reply
   * asking for one fetches the next key; a refused new key falls back to the previous one, and the
   * report goes again with it at once. The probe (`rotate` false) changes no key.
   */
  async function send(reportJson: string, withTicket = true, rotate = true): Promise<IngestAnswer> {
    const key = await keys.current();
    let answer = await post(key, reportJson, withTicket);
    if (!rotate) return answer;
    if (!answer.ok && answer.error.kind === 'unauthenticated' && (await keys.refused(key))) {
      const fallback = await keys.current();
      answer = await post(fallback, reportJson, false);
      if (answer.ok) await keys.accepted(fallback, answer.reply.rotateKey === true);
    } else if (answer.ok) await keys.accepted(key, answer.reply.rotateKey === true);
    return answer;
  }

  /** Sends a report once a spacing has passed since the previous one (the probe stores nothing: not paced). */
  async function sendPaced(reportJson: string): Promise<IngestAnswer> {
    const waitMs = paceDelayMs(lastSendAt, now());
    if (waitMs > 0) await sleep(waitMs);
    lastSendAt = now();
    return send(reportJson);
  }

  function recordHealthy(): void {
    if (failures > 0) log.info('the ingest answers again', { failedAttempts: failures });
    failures = 0;
    retryAt = 0;
    quietUntil = 0;
  }

  function recordFailure(error: DeliveryError, spooled: number): void {
    if (error.kind === 'rate-limited') {
      failures = 0;
      quietUntil = now() + (error.retryAfterSeconds ?? 60) * 1000;
      log.warn('the ingest asked the agent to slow down; reports stay spooled', {
        retryAfterSeconds: error.retryAfterSeconds,
        spooled,
      });
      return;
    }
    failures += 1;
    const delayMs = retryDelayMs(failures, random);
    retryAt = now() + delayMs;
    const fields = { kind: error.kind, reason: error.message, spooled, failedAttempts: failures, retryInSeconds: Math.ceil(delayMs / 1000) };
    if (error.kind === 'unauthenticated') {
      log.error('the ingest refused the agent key (unknown, revoked or mistyped); reports stay spooled until it is fixed', fields);
    } else {
      log.warn('could not deliver reports; they stay spooled', fields);
    }
  }

  async function readDropped(): Promise<number> {
    const state = await spool.readState().catch(() => ({ dropped: 0 }));
    return state.dropped + droppedInMemory;
  }

  async function countDropped(count: number, reason: string, fields: Record<string, unknown>): Promise<void> {
    if (count <= 0) return;
    const dropped = (await spool.readState().catch(() => ({ dropped: 0 }))).dropped + droppedInMemory + count;
    try {
      await spool.writeState({ dropped });
      droppedInMemory = 0;
    } catch (error) {
      droppedInMemory += count;
      log.error('could not record the dropped-report count on disk', { reason: errorText(error) });
    }
    log.warn(reason, { ...fields, droppedNow: count, droppedTotal: dropped });
  }

  /** A report that was answered leaves the spool; if the disk refuses, it is sent again later (harmless). */
  async function removeFromSpool(entry: SpoolEntry): Promise<void> {
    try {
      await spool.remove(entry);
    } catch (error) {
      log.error('could not remove a report from the spool; it will be sent again', { reportId: entry.reportId, reason: errorText(error) });
    }
  }

  async function readFromSpool(entry: SpoolEntry): Promise<string | undefined> {
    try {
      return await spool.read(entry);
    } catch (error) {
      log.error('could not read a report from the spool; skipping it for now', { reportId: entry.reportId, reason: errorText(error) });
      return undefined;
    }
  }

  /**
   * Rewrites a spooled report older than a delivered present with `backfill: true`: without this, a
   * restart would find it the newest spooled report (the present's file is gone) and send it as the
   * present, taking the host's state back to older content.
   */
  async function markAsHistory(entry: SpoolEntry): Promise<void> {
    try {
      const parsed = parseReport((await spool.read(entry)) ?? '');
      if (parsed && parsed.backfill !== true) await spool.rewrite(entry, JSON.stringify({ ...parsed, backfill: true }));
    } catch (error) {
      log.error('could not mark a spooled report as history on disk', { reportId: entry.reportId, reason: errorText(error) });
    }
  }

  async function listSpool(): Promise<SpoolEntry[]> {
    try {
      return await spool.entries();
    } catch (error) {
      log.error('cannot read the spool directory', { spoolDir: config.spoolDir, reason: errorText(error) });
      return [];
    }
  }

  /**
   * Sends the newest report not yet superseded as the present, then the rest as backfill, newest to
   * oldest, one a spacing at most, until something fails. The report that could not be spooled is the
   * newest of all. The ingest's burst (its token bucket) ends a long drain with RESOURCE_EXHAUSTED,
   * so one drain lasts about that many spacings, and the next waits as long as the ingest asks.
   */
  async function drain(unspooled?: Unspooled): Promise<DrainResult> {
    const result: DrainResult = { delivered: [], unspooledSettled: unspooled === undefined };
    const waitMs = quietUntil - now();
    if (waitMs > 0) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      result.error = { kind: 'rate-limited', message: `waiting ${retryAfterSeconds} s more, as the ingest asked`, retryAfterSeconds };
      return result;
    }
    const spooled = await listSpool();
    supersededFiles = new Set(spooled.filter((entry) => supersededFiles.has(entry.file)).map((entry) => entry.file));
    const pending: Array<{ entry?: SpoolEntry; reportId: string }> = spooled.map((entry) => ({ entry, reportId: entry.reportId }));
    if (unspooled) pending.push({ reportId: unspooled.reportId });
    pending.reverse();
    let presentDelivered = false;

    for (const [index, item] of pending.entries()) {
      // Undefined: sent and removed by another agent process meanwhile, or unreadable (logged).
      const json = item.entry ? await readFromSpool(item.entry) : unspooled?.json;
      if (json === undefined) continue;
      const parsed = parseReport(json);
      if (!parsed) {
        // Only a damaged disk or a hand edit can do this: the write is atomic.
        if (item.entry) await removeFromSpool(item.entry);
        await countDropped(1, 'removed an unreadable report from the spool', { reportId: item.reportId });
        continue;
      }
      const backfill = presentDelivered || parsed.backfill === true || (item.entry !== undefined && supersededFiles.has(item.entry.file));
      const answer = await sendPaced(backfill ? JSON.stringify({ ...parsed, backfill: true }) : json);
      if (answer.ok) {
        if (item.entry) await removeFromSpool(item.entry);
        else result.unspooledSettled = true;
        recordHealthy();
        result.delivered.push(item.reportId);
        result.intervalSeconds = answer.reply.intervalSeconds;
        // The first reply: the present report's, which is sent first, so the slot counts from when it arrived.
        result.nextReportInSeconds ??= answer.reply.nextReportInSeconds;
        if (answer.reply.update) result.update = answer.reply.update;
        if (!backfill) {
          presentDelivered = true;
          for (const older of pending.slice(index + 1)) {
            if (!older.entry) continue;
            supersededFiles.add(older.entry.file);
            await markAsHistory(older.entry);
          }
        }
        log.debug(answer.reply.duplicate ? 'report was already stored' : 'report delivered', { reportId: item.reportId, backfill });
        continue;
      }
      if (answer.error.kind === 'invalid') {
        // The key was accepted (the ingest checks it first), so the ingest works: only this report is bad.
        if (item.entry) await removeFromSpool(item.entry);
        else result.unspooledSettled = true;
        recordHealthy();
        result.error = answer.error;
        log.error('the ingest refused a report as invalid; it is removed from the spool and will not be sent again', {
          reportId: item.reportId,
          reason: answer.error.message,
        });
        continue;
      }
      result.error = answer.error;
      recordFailure(answer.error, (await listSpool()).length);
      break;
    }
    return result;
  }

  async function outcome(result: DrainResult): Promise<DeliveryOutcome> {
    const outcome: DeliveryOutcome = {
      delivered: result.delivered,
      spooled: (await listSpool()).length,
      dropped: await readDropped(),
    };
    if (result.intervalSeconds !== undefined) outcome.intervalSeconds = result.intervalSeconds;
    if (result.nextReportInSeconds !== undefined) outcome.nextReportInSeconds = result.nextReportInSeconds;
    if (result.update) outcome.update = result.update;
    if (result.error) outcome.error = result.error;
    return outcome;
  }

  /** Puts the report on disk; returns it back when it could not be spooled and must be sent from memory. */
  async function spoolReport(reportId: string, json: string): Promise<Unspooled | undefined> {
    const bytes = Buffer.byteLength(json);
    if (!spool.fits(bytes)) {
      log.warn('report larger than the whole spool; sending it without spooling', { reportId, bytes, maxSpoolBytes: config.maxSpoolBytes });
      return { reportId, json };
    }
    try {
      const entries = await spool.entries();
      if (entries.some((entry) => entry.reportId === reportId)) return undefined; // Already waiting.
      const dropped = await spool.makeRoom(entries, bytes);
      await countDropped(dropped.length, 'spool full: dropped the oldest reports', {
        reportIds: dropped.map((entry) => entry.reportId),
        maxSpooledReports: config.maxSpooledReports,
        maxSpoolBytes: config.maxSpoolBytes,
      });
      await spool.add(entries, reportId, json);
      return undefined;
    } catch (error) {
      log.error('could not write the report to the spool; sending it without spooling', {
        reportId,
        spoolDir: config.spoolDir,
        reason: errorText(error),
      });
      return { reportId, json };
    }
  }

  return {
    submit: (report) =>
      exclusive(async () => {
        const id = documentIdSchema.safeParse(report.reportId);
        if (!id.success) {
          // The id names a file in the spool: never let a malformed one near the file system.
          log.error('report has an invalid reportId; not sent', { reportId: String(report.reportId).slice(0, 80) });
          const error: DeliveryError = { kind: 'invalid', message: 'reportId must be 8 to 64 letters, digits, "_" or "-"' };
          return outcome({ delivered: [], error, unspooledSettled: true });
        }
        const unspooled = await spoolReport(id.data, JSON.stringify(report));
        const result = await drain(unspooled);
        if (!result.unspooledSettled && unspooled) {
          await countDropped(1, 'dropped a report that could not be spooled and could not be sent', { reportId: unspooled.reportId });
        }
        return outcome(result);
      }),

    flush: () => exclusive(async () => outcome(await drain())),

    status: () =>
      exclusive(async () => {
        const entries = await listSpool();
        return {
          spooled: entries.length,
          bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
          dropped: await readDropped(),
        };
      }),

    nextRetryDelayMs() {
      const current = now();
      if (quietUntil > current) return quietUntil - current;
      if (failures === 0) return 0;
      return Math.max(0, retryAt - current);
    },

    async probe() {
      // Not a report: the ingest checks the key before the payload, so INVALID_ARGUMENT means the
      // key is valid and nothing was stored.
      const answer = await send('{"probe":true}', false, false);
      if (answer.ok) return { reachable: true, keyValid: true, message: 'the ingest answered and accepted the key' };
      const { kind, message } = answer.error;
      switch (kind) {
        case 'invalid':
        case 'rate-limited':
          return { reachable: true, keyValid: true, message: 'the ingest answered and accepted the key' };
        case 'unauthenticated':
          return { reachable: true, keyValid: false, message: 'the ingest refused the key: it is unknown, revoked or mistyped' };
        case 'network':
          return { reachable: false, keyValid: undefined, message: `cannot reach ${config.endpoint}: ${message}` };
        case 'server':
          return answer.fromIngest
            ? { reachable: true, keyValid: undefined, message: `the ingest answered with an error: ${message}` }
            : { reachable: false, keyValid: undefined, message: `${config.endpoint} does not answer as the Vigil ingest: ${message}` };
      }
    },
  };
}

/** A spooled report as an object, or undefined when the file is damaged. */
function parseReport(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
