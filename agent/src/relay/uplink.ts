// The relay's side of the path to the cloud: forwards a request with the agent's own key, says
// whether the ingest answered (then its answer goes back to the agent as it is) or is down (network
// error, 5xx, or an answer that is not the callable's: then the relay spools), and drains the spool
// with the agent's backoff, in the agent's order (delivery.ts): each key's newest report first, as
// that agent's present, then its older ones marked `backfill: true`, newest to oldest. A spooled
// report older than one of the same key that reached the ingest as the present (straight from its
// agent while the spool drained, say) is always backfill, after a restart too: once the present is
// stored, the key's older spooled reports are rewritten on disk with `backfill: true`. A key the ingest slowed down (429) waits
// the time it asked for, in every pass; the other keys' reports go on.
// Paced per key, never as a whole: a key's reports go one a SEND_SPACING_MS at most (pacing.ts: each
// writes its agent's one Firestore document), counted from its last send the ingest answered, live or
// from the spool (a live one is never held back: its agent paces itself);
// the other keys are other agents' documents and go on meanwhile, each pass sending one per key.
// Tickets (protocol.ts): a live request goes up with its agent's ticket; the relay also keeps the
// latest ticket each key's answers carried (memory only, MAX_TICKETS keys), for what it sends from
// the spool and for an agent that has none (its last report was spooled, so its answer had none).
import { classifyAnswer, postRaw } from '../delivery/protocol.js';
import { retryDelayMs } from '../delivery/backoff.js';
import { paceDelayMs } from '../delivery/pacing.js';
import type { Logger } from '../log.js';
import type { RelaySpool } from './relay-spool.js';

export type UplinkState = 'reachable' | 'unreachable' | 'unknown';

export type ForwardResult = { kind: 'answered'; status: number; text: string } | { kind: 'down'; reason: string };

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  floorMs: number;
}

/** The relay retries sooner than an agent (its agents wait behind it), and never less often than every 5 min. */
export const RELAY_BACKOFF: BackoffOptions = { baseMs: 2_000, capMs: 5 * 60_000, floorMs: 500 };

/** Keys whose latest ticket the relay keeps (a few KB each), the least recently answered forgotten first. */
export const MAX_TICKETS = 10_000;

export interface UplinkOptions {
  url: string;
  fetch: typeof fetch;
  timeoutMs: number;
  spool: RelaySpool;
  log: Logger;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Every answer the ingest gave (live or from the spool): the relay keeps the newest update offer (bundle-forward.ts). */
  onAnswer?: (status: number, text: string) => void;
}

/** A callable answer (`{"result"}` or `{"error": {"status"}}`) below 500: the ingest itself answered. */
export function isIngestAnswer(status: number, text: string): boolean {
  if (status >= 500) return false;
  try {
    const body = JSON.parse(text) as { result?: unknown; error?: { status?: unknown } } | null;
    if (!body || typeof body !== 'object') return false;
    return 'result' in body || typeof body.error?.status === 'string';
  } catch {
    return false;
  }
}

export class Uplink {
  state: UplinkState = 'unknown';
  private failures = 0;
  private retryAt = 0;
  private drainTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  /** The interval the cloud last asked of each key id, for answers the relay gives itself. */
  private readonly intervals = new Map<string, number>();
  /** The latest ticket the ingest gave each key id (never logged). */
  private readonly tickets = new Map<string, string>();
  /**
   * When the ingest lets each rate-limited key id be sent again (ms). Kept across drain passes: a
   * pass started early (the uplink answering again schedules one at once, a failure of another key
   * one after its backoff) must still wait the Retry-After the ingest gave that key.
   */
  private readonly keyRetryAt = new Map<string, number>();
  /** When each key id's last send the ingest answered started (live or from the spool), for the keys sent within the last spacing only. */
  private readonly lastSendAt = new Map<string, number>();
  /** The key id of each spool file opened (a header never changes): a waiting key's files are skipped unopened. */
  private readonly keyIdOfFile = new Map<string, string>();
  /**
   * Spool files older than a report of the same key id that the ingest stored as the present. Their
   * bodies are also marked `backfill: true` on disk, which is what survives a restart; this set covers
   * a file the disk refused to rewrite, for as long as this process runs.
   */
  private supersededFiles = new Set<string>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;

  constructor(private readonly options: UplinkOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? RELAY_BACKOFF;
  }

  /** True while the uplink failed recently and its retry time has not come: spool without trying. */
  get backingOff(): boolean {
    return this.failures > 0 && this.now() < this.retryAt;
  }

  /** Seconds until the uplink is tried again (0 when it is not backing off). */
  secondsUntilRetry(): number {
    return this.failures > 0 ? Math.max(0, Math.ceil((this.retryAt - this.now()) / 1000)) : 0;
  }

  intervalFor(keyId: string): number {
    return this.intervals.get(keyId) ?? 300;
  }

  /**
   * Forwards one request. `present`: the report is its agent's present (not backfill), so once the
   * ingest stores it, every report of that key still in the spool is history. `sentFile`: the spool
   * file being sent (it is removed next: no need to mark it).
   */
  async forward(key: string, keyId: string, body: string, present = false, sentFile?: string, ticket?: string): Promise<ForwardResult> {
    const startedAt = this.now();
    const answer = await postRaw({
      fetch: this.options.fetch,
      endpoint: this.options.url,
      key,
      body,
      timeoutMs: this.options.timeoutMs,
      ticket: ticket ?? this.tickets.get(keyId),
    });
    if ('networkError' in answer) {
      this.recordFailure(answer.networkError);
      return { kind: 'down', reason: answer.networkError };
    }
    if (!isIngestAnswer(answer.status, answer.text)) {
      const reason = `the uplink answered HTTP ${answer.status}, not as the ingest`;
      this.recordFailure(reason);
      return { kind: 'down', reason };
    }
    // Only an answer from the ingest starts the key's pacing: a send that never reached it wrote nothing.
    this.noteSend(keyId, startedAt);
    this.options.onAnswer?.(answer.status, answer.text);
    this.recordHealthy();
    const classified = classifyAnswer(answer.status, answer.text);
    if (classified.ok) {
      this.intervals.set(keyId, classified.reply.intervalSeconds);
      this.keepTicket(keyId, classified.reply.ticket);
      if (present) await this.markHistory(keyId, sentFile);
    } else if (classified.error.kind === 'unauthenticated') {
      this.keepTicket(keyId, undefined);
    }
    return { kind: 'answered', status: answer.status, text: answer.text };
  }

  /** Remembers `keyId`'s latest ticket (none: forgets it), within MAX_TICKETS keys. */
  private keepTicket(keyId: string, ticket: string | undefined): void {
    this.tickets.delete(keyId);
    if (ticket === undefined) return;
    this.tickets.set(keyId, ticket);
    if (this.tickets.size > MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!);
  }

  /** Starts `keyId`'s pacing; forgets the keys whose spacing is over (or lies ahead of a clock set back). */
  private noteSend(keyId: string, startedAt: number): void {
    const now = this.now();
    for (const [id, at] of this.lastSendAt) if (at > now || paceDelayMs(at, now) === 0) this.lastSendAt.delete(id);
    this.lastSendAt.set(keyId, startedAt);
  }

  /** When `keyId` may be sent again (ms): after the ingest's Retry-After and the pacing; at or before now when it may go. */
  private keyWaitsUntil(keyId: string): number {
    const now = this.now();
    return Math.max(this.keyRetryAt.get(keyId) ?? 0, now + paceDelayMs(this.lastSendAt.get(keyId), now));
  }

  /** Every report of `keyId` waiting now is older than the present the ingest just stored. */
  private async markHistory(keyId: string, sentFile: string | undefined): Promise<void> {
    try {
      const { files, failed } = await this.options.spool.markHistory(keyId, (body) => (isBackfill(body) ? body : asBackfill(body)), sentFile);
      for (const file of files) this.supersededFiles.add(file);
      if (failed) this.options.log.error('could not mark spooled reports as history on disk', { keyId, failed });
    } catch (error) {
      this.options.log.error('could not mark spooled reports as history', { keyId, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private recordHealthy(): void {
    if (this.failures > 0) {
      this.options.log.info('the uplink answers again', { failedAttempts: this.failures });
      this.scheduleDrain(0);
    }
    this.failures = 0;
    this.retryAt = 0;
    this.state = 'reachable';
  }

  private recordFailure(reason: string): void {
    this.failures += 1;
    const delayMs = retryDelayMs(this.failures, this.random, this.backoff);
    this.retryAt = this.now() + delayMs;
    if (this.state !== 'unreachable' || this.failures === 1) {
      this.options.log.warn('the uplink cannot be reached; reports are spooled at the relay', { reason, retryInSeconds: Math.ceil(delayMs / 1000) });
    }
    this.state = 'unreachable';
    this.scheduleDrain(delayMs);
  }

  /** Drains the spool after `ms` (or sooner, if a drain is already due sooner). */
  scheduleDrain(ms: number): void {
    if (this.closed) return;
    const at = this.now() + ms;
    if (this.drainTimer && this.drainAt <= at) return;
    clearTimeout(this.drainTimer);
    this.drainAt = at;
    this.drainTimer = setTimeout(
      () => {
        this.drainTimer = undefined;
        void this.drain();
      },
      Math.max(0, ms),
    );
    this.drainTimer.unref();
  }
  private drainAt = 0;

  /** Sends the spool, each key newest first, until the uplink fails; one drain at a time. */
  drain(): Promise<void> {
    this.draining ??= this.drainOnce().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainOnce(): Promise<void> {
    const { spool, log } = this.options;
    for (const [keyId, at] of this.keyRetryAt) if (at <= this.now()) this.keyRetryAt.delete(keyId);
    let entries;
    try {
      entries = await spool.entries();
    } catch (error) {
      log.error('cannot read the relay spool', { spoolDir: spool.dir, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const present = new Set(entries.map((entry) => entry.file));
    this.supersededFiles = new Set([...this.supersededFiles].filter((file) => present.has(file)));
    for (const file of this.keyIdOfFile.keys()) if (!present.has(file)) this.keyIdOfFile.delete(file);
    let delivered = 0;
    /** The soonest a key skipped in this pass may go again (ms). */
    let nextDueAt = Infinity;
    for (const entry of [...entries].reverse()) {
      if (this.closed) return;
      const knownKeyId = this.keyIdOfFile.get(entry.file);
      if (knownKeyId !== undefined && this.keyWaitsUntil(knownKeyId) > this.now()) {
        nextDueAt = Math.min(nextDueAt, this.keyWaitsUntil(knownKeyId));
        continue;
      }
      const opened = await spool.open(entry);
      if (opened.kind === 'gone') continue;
      if (opened.kind === 'unreadable') {
        await spool.remove(entry);
        await spool.countDropped(1);
        log.error('removed an unreadable report from the relay spool', { reportId: entry.reportId, reason: opened.reason });
        continue;
      }
      const { request } = opened;
      this.keyIdOfFile.set(entry.file, request.keyId);
      if (this.keyWaitsUntil(request.keyId) > this.now()) {
        nextDueAt = Math.min(nextDueAt, this.keyWaitsUntil(request.keyId));
        continue;
      }
      const asPresent = !this.supersededFiles.has(entry.file) && !isBackfill(request.body);
      const body = asPresent ? request.body : asBackfill(request.body);
      const result = await this.forward(request.key, request.keyId, body, asPresent, entry.file);
      if (result.kind === 'down') break;
      const answer = classifyAnswer(result.status, result.text);
      if (answer.ok) {
        await spool.remove(entry);
        delivered += 1;
        continue;
      }
      if (answer.error.kind === 'rate-limited') {
        // This agent's reports wait, in this pass and the next ones; the other agents' go on.
        this.keyRetryAt.set(request.keyId, this.now() + (answer.error.retryAfterSeconds ?? 60) * 1000);
        nextDueAt = Math.min(nextDueAt, this.keyWaitsUntil(request.keyId));
        continue;
      }
      // Refused for good (key refused, report invalid): the agent was told it was accepted, so it counts as dropped.
      await spool.remove(entry);
      await spool.countDropped(1);
      log.error('the ingest refused a report the relay had spooled; it is dropped', {
        reportId: request.reportId,
        keyId: request.keyId,
        kind: answer.error.kind,
        reason: answer.error.message,
      });
    }
    if (delivered) log.info('spooled reports delivered', { delivered });
    const remaining = (await spool.entries().catch(() => [])).length;
    if (remaining === 0 || this.closed) return;
    // The uplink's backoff first; else the soonest waiting key (the ingest's Retry-After or the pacing),
    // so a pass in which every key waited is not followed by another at once.
    if (this.failures > 0 && this.retryAt > this.now()) this.scheduleDrain(this.retryAt - this.now());
    else if (nextDueAt !== Infinity) this.scheduleDrain(Math.max(0, nextDueAt - this.now()));
    else this.scheduleDrain(1_000); // Spooled while this pass ran.
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
  }
}

function dataOf(body: string): Record<string, unknown> | undefined {
  try {
    const data = (JSON.parse(body) as { data?: unknown }).data;
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isBackfill(body: string): boolean {
  return dataOf(body)?.backfill === true;
}

/** The request body with its report marked as history; as it is when it is not `{"data": report}`. */
function asBackfill(body: string): string {
  const data = dataOf(body);
  return data ? JSON.stringify({ data: { ...data, backfill: true } }) : body;
}
