// The relay's queue of reports the uplink could not take yet: the agent's Spool (one durable file per
// report, oldest first, bounded by count and bytes, the oldest dropped first), holding for each report
// the request body as the agent sent it and the agent's key, sealed (key-sealing.ts). File content:
// one line of JSON `{"v":1,"keyId","reportId","sealed"}`, then the body, byte for byte.
import { Spool, type SpoolEntry, type SpoolLimits } from '../delivery/spool.js';
import { sealKey, unsealKey, type SealedKey } from './key-sealing.js';

export interface SpooledRequest {
  keyId: string;
  reportId: string;
  key: string;
  body: string;
}

export type OpenedEntry = { kind: 'request'; request: SpooledRequest } | { kind: 'gone' } | { kind: 'unreadable'; reason: string };

interface EntryHeader {
  v: 1;
  keyId: string;
  reportId: string;
  sealed: SealedKey;
}

function associatedData(keyId: string, reportId: string): string {
  return `vigil-relay/v1/${keyId}/${reportId}`;
}

export class RelaySpool {
  private readonly spool: Spool;
  /** Entries being sent now: never dropped to make room under the sender's feet. */
  private readonly inFlight = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly limits: SpoolLimits,
    private readonly secret: Buffer,
  ) {
    this.spool = new Spool(dir, limits);
  }

  /** One change at a time: concurrent requests must not pick the same sequence or overshoot the bounds. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Spools a request: `added`, `duplicate` (the same key id and report already wait: a retry of the
   * agent) or `too-large` (larger than the whole spool), with the older reports dropped to make room.
   */
  add(request: SpooledRequest): Promise<{ outcome: 'added' | 'duplicate' | 'too-large'; dropped: number }> {
    return this.exclusive(async () => {
      const header: EntryHeader = {
        v: 1,
        keyId: request.keyId,
        reportId: request.reportId,
        sealed: sealKey(this.secret, request.key, associatedData(request.keyId, request.reportId)),
      };
      const content = `${JSON.stringify(header)}\n${request.body}`;
      const bytes = Buffer.byteLength(content);
      if (!this.spool.fits(bytes)) return { outcome: 'too-large', dropped: 0 };
      const entries = await this.spool.entries();
      for (const entry of entries.filter((candidate) => candidate.reportId === request.reportId)) {
        const opened = await this.openEntry(entry);
        if (opened.kind === 'request' && opened.request.keyId === request.keyId) return { outcome: 'duplicate', dropped: 0 };
      }
      const droppable = entries.filter((entry) => !this.inFlight.has(entry.file));
      // A report being sent right now is never dropped (it may be over the bound by that one for a moment).
      const dropped = await this.spool.makeRoom(droppable, bytes);
      if (dropped.length) await this.addDropped(dropped.length);
      await this.spool.add(entries, request.reportId, content);
      return { outcome: 'added', dropped: dropped.length };
    });
  }

  entries(): Promise<SpoolEntry[]> {
    return this.spool.entries();
  }

  private async openEntry(entry: SpoolEntry): Promise<OpenedEntry> {
    const content = await this.spool.read(entry);
    if (content === undefined) return { kind: 'gone' };
    const newline = content.indexOf('\n');
    let header: EntryHeader;
    try {
      header = JSON.parse(newline < 0 ? content : content.slice(0, newline)) as EntryHeader;
    } catch {
      return { kind: 'unreadable', reason: 'damaged entry' };
    }
    if (header?.v !== 1 || typeof header.keyId !== 'string' || typeof header.reportId !== 'string' || !header.sealed) {
      return { kind: 'unreadable', reason: 'damaged entry' };
    }
    const key = unsealKey(this.secret, header.sealed, associatedData(header.keyId, header.reportId));
    if (key === undefined) return { kind: 'unreadable', reason: 'its key cannot be unsealed (was relay.secret replaced?)' };
    return { kind: 'request', request: { keyId: header.keyId, reportId: header.reportId, key, body: content.slice(newline + 1) } };
  }

  /** Reads an entry and unseals its key; marks it in flight until `done`. */
  async open(entry: SpoolEntry): Promise<OpenedEntry> {
    this.inFlight.add(entry.file);
    try {
      return await this.openEntry(entry);
    } catch (error) {
      return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  done(entry: SpoolEntry): void {
    this.inFlight.delete(entry.file);
  }

  remove(entry: SpoolEntry): Promise<void> {
    return this.exclusive(async () => {
      await this.spool.remove(entry);
      this.inFlight.delete(entry.file);
    });
  }

  /** Reports acknowledged to an agent that will never reach the cloud: the spool was full, or the cloud refused them later. */
  countDropped(count: number): Promise<void> {
    return this.exclusive(() => this.addDropped(count));
  }

  private async addDropped(count: number): Promise<void> {
    if (count <= 0) return;
    const { dropped } = await this.spool.readState();
    await this.spool.writeState({ dropped: dropped + count });
  }

  async status(): Promise<{ spooled: number; bytes: number; dropped: number }> {
    const entries = await this.spool.entries();
    const { dropped } = await this.spool.readState();
    return { spooled: entries.length, bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0), dropped };
  }

  get maxReports(): number {
    return this.limits.maxReports;
  }
}
