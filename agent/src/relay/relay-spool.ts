// The relay's queue of reports the uplink could not take yet: the agent's Spool (one durable file per
// report, bounded by count and bytes), holding for each report the request body as the agent sent it
// and the agent's key, sealed (key-sealing.ts). File content: one line of JSON
// `{"v":1,"keyId","reportId","sealed"}`, then the body, byte for byte (until a newer report of its
// key is stored as the present: then it is rewritten marked `backfill: true`, markHistory).
// Every report here was acknowledged to its agent, which then forgot it: nothing is ever dropped to
// make room. A full spool, or a key id holding its whole quota, refuses the new report instead, and
// its agent keeps it in its own spool. (Whoever reaches the relay can send well-formed junk under
// made-up key ids; they can fill the spool, never evict what agents entrusted to it.)
import { Spool, type SpoolEntry, type SpoolLimits } from '../delivery/spool.js';
import { sealKey, unsealKey, type SealedKey } from './key-sealing.js';

export interface SpooledRequest {
  keyId: string;
  reportId: string;
  key: string;
  body: string;
}

export interface KeyQuota {
  maxReports: number;
  maxBytes: number;
}

export type AddOutcome = 'added' | 'duplicate' | 'too-large' | 'full' | 'key-over-quota';

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
  private queue: Promise<unknown> = Promise.resolve();
  /** The key id of each spool file, read once from its header (a file's header never changes). */
  private readonly keyIdOfFile = new Map<string, string>();

  constructor(
    readonly dir: string,
    private readonly limits: SpoolLimits,
    private readonly secret: Buffer,
    private readonly keyQuota: KeyQuota,
  ) {
    this.spool = new Spool(dir, limits);
  }

  /** The key id of each entry (read once per file from its header); damaged or gone entries are left out. */
  private async ownersOf(entries: SpoolEntry[]): Promise<Map<string, string>> {
    const present = new Set(entries.map((entry) => entry.file));
    for (const file of this.keyIdOfFile.keys()) if (!present.has(file)) this.keyIdOfFile.delete(file);
    for (const entry of entries) {
      if (this.keyIdOfFile.has(entry.file)) continue;
      const owner = headerOf(await this.spool.read(entry).catch(() => undefined))?.keyId;
      if (owner !== undefined) this.keyIdOfFile.set(entry.file, owner); // else gone, or damaged (the drain removes it)
    }
    return this.keyIdOfFile;
  }

  /** Reports and bytes that `keyId` holds in the spool now. */
  private async heldBy(entries: SpoolEntry[], keyId: string): Promise<{ reports: number; bytes: number }> {
    const owners = await this.ownersOf(entries);
    const held = { reports: 0, bytes: 0 };
    for (const entry of entries) {
      if (owners.get(entry.file) !== keyId) continue;
      held.reports += 1;
      held.bytes += entry.bytes;
    }
    return held;
  }

  /**
   * Rewrites the body of each report of `keyId` waiting now (but `except`) as `asHistory(body)`, on
   * disk (durably, by rename: Spool.rewrite), keeping the header line and so the sealed key as they
   * are; a body it returns unchanged is left alone. Returns the files of `keyId` waiting now. A file
   * the disk refuses to rewrite is still returned (the caller remembers it in memory) and reported.
   */
  markHistory(keyId: string, asHistory: (body: string) => string, except?: string): Promise<{ files: string[]; failed: number }> {
    return this.exclusive(async () => {
      const entries = await this.spool.entries();
      const owners = await this.ownersOf(entries);
      const mine = entries.filter((entry) => owners.get(entry.file) === keyId);
      let failed = 0;
      for (const entry of mine) {
        if (entry.file === except) continue;
        try {
          const content = await this.spool.read(entry);
          const newline = content?.indexOf('\n') ?? -1;
          if (content === undefined || newline < 0) continue;
          const body = content.slice(newline + 1);
          const history = asHistory(body);
          if (history !== body) await this.spool.rewrite(entry, `${content.slice(0, newline)}\n${history}`);
        } catch {
          failed += 1;
        }
      }
      return { files: mine.map((entry) => entry.file), failed };
    });
  }

  /** One change at a time: concurrent requests must not pick the same sequence or overshoot the bounds. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Spools a request: `added`; `duplicate` (the same key id and report already wait: a retry of the
   * agent); or refused, spooling nothing and dropping nothing: `too-large` (larger than the whole
   * spool), `key-over-quota` (its key id holds its quota of reports or bytes), `full`.
   */
  add(request: SpooledRequest): Promise<{ outcome: AddOutcome }> {
    return this.exclusive(async () => {
      const header: EntryHeader = {
        v: 1,
        keyId: request.keyId,
        reportId: request.reportId,
        sealed: sealKey(this.secret, request.key, associatedData(request.keyId, request.reportId)),
      };
      const content = `${JSON.stringify(header)}\n${request.body}`;
      const bytes = Buffer.byteLength(content);
      if (!this.spool.fits(bytes)) return { outcome: 'too-large' };
      const entries = await this.spool.entries();
      for (const entry of entries.filter((candidate) => candidate.reportId === request.reportId)) {
        const opened = await this.openEntry(entry);
        if (opened.kind === 'request' && opened.request.keyId === request.keyId) return { outcome: 'duplicate' };
      }
      const held = await this.heldBy(entries, request.keyId);
      if (held.reports + 1 > this.keyQuota.maxReports || held.bytes + bytes > this.keyQuota.maxBytes) return { outcome: 'key-over-quota' };
      if (!this.spool.hasRoom(entries, bytes)) return { outcome: 'full' };
      const added = await this.spool.add(entries, request.reportId, content);
      this.keyIdOfFile.set(added.file, request.keyId);
      return { outcome: 'added' };
    });
  }

  entries(): Promise<SpoolEntry[]> {
    return this.spool.entries();
  }

  private async openEntry(entry: SpoolEntry): Promise<OpenedEntry> {
    const content = await this.spool.read(entry);
    if (content === undefined) return { kind: 'gone' };
    const header = headerOf(content);
    if (!header) return { kind: 'unreadable', reason: 'damaged entry' };
    const newline = content.indexOf('\n');
    const key = unsealKey(this.secret, header.sealed, associatedData(header.keyId, header.reportId));
    if (key === undefined) return { kind: 'unreadable', reason: 'its key cannot be unsealed (was relay.secret replaced?)' };
    return { kind: 'request', request: { keyId: header.keyId, reportId: header.reportId, key, body: content.slice(newline + 1) } };
  }

  /** Reads an entry and unseals its key. */
  async open(entry: SpoolEntry): Promise<OpenedEntry> {
    try {
      return await this.openEntry(entry);
    } catch (error) {
      return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  remove(entry: SpoolEntry): Promise<void> {
    return this.exclusive(async () => {
      await this.spool.remove(entry);
      this.keyIdOfFile.delete(entry.file);
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

/** The header line of a spool file, or undefined when the file is gone or damaged. */
function headerOf(content: string | undefined): EntryHeader | undefined {
  if (content === undefined) return undefined;
  const newline = content.indexOf('\n');
  let header: EntryHeader;
  try {
    header = JSON.parse(newline < 0 ? content : content.slice(0, newline)) as EntryHeader;
  } catch {
    return undefined;
  }
  if (header?.v !== 1 || typeof header.keyId !== 'string' || typeof header.reportId !== 'string' || !header.sealed) return undefined;
  return header;
}
