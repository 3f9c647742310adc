// The on-disk queue of reports not yet acknowledged by the ingest. One file per report, named
// `<sequence>-<reportId>.json` so a directory listing sorted by name is oldest first. A report is
// written to a temporary name, fsynced, renamed, and the directory fsynced: a crash leaves either
// the whole report or a temporary file that is ignored and later cleaned, never half a report.
// `state.json` keeps the number of reports dropped because the spool was full, across restarts.
//
// Nothing is cached between calls: every operation lists the directory again, so a second agent
// process on the same spool (`vigil-agent once` next to the daemon) cannot make this one resend or
// lose a report. (A report both send is stored once: the ingest is idempotent on reportId.)
//
// The agent runs as root: the directory must be its own and private, and nothing in it is read or
// written through a symbolic link (private-dir.ts). A link named like a report is not a report.
import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CREATE_NEW_NO_FOLLOW, ensurePrivateDir, readFileNoFollow } from './private-dir.js';

const REPORT_FILE = /^(\d{16})-([A-Za-z0-9_-]{8,64})\.json$/;
const TEMP_PREFIX = '.tmp-';
const STATE_FILE = 'state.json';
/** A temporary file older than this belongs to a write that crashed; a younger one may be in progress. */
const STALE_TEMP_MS = 60_000;

export interface SpoolEntry {
  file: string;
  sequence: number;
  reportId: string;
  bytes: number;
}

export interface SpoolLimits {
  maxReports: number;
  maxBytes: number;
}

export interface SpoolState {
  dropped: number;
}

async function writeDurably(dir: string, name: string, content: string): Promise<void> {
  const temp = path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, CREATE_NEW_NO_FOLLOW, 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path.join(dir, name));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable. Some file systems cannot fsync a directory; the data is synced anyway. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR / EINVAL on file systems without directory fsync.
  }
}

export class Spool {
  private cleaned = false;

  constructor(
    readonly dir: string,
    private readonly limits: SpoolLimits,
  ) {}

  /**
   * Creates the directory (0700) if it is missing, even if somebody removed it while the agent ran;
   * refuses one that is not the agent's own and private (UnsafeDirectoryError, saying why), every
   * time; the first time, also removes stale temporary files.
   */
  async prepare(): Promise<void> {
    await ensurePrivateDir(this.dir);
    if (this.cleaned) return;
    const now = Date.now();
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const info = await lstat(path.join(this.dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(path.join(this.dir, name), { force: true });
    }
    this.cleaned = true;
  }

  /** Every spooled report, oldest first. */
  async entries(): Promise<SpoolEntry[]> {
    await this.prepare();
    const entries: SpoolEntry[] = [];
    for (const file of (await readdir(this.dir)).sort()) {
      const match = REPORT_FILE.exec(file);
      if (!match) continue;
      // lstat: a symbolic link (to /etc/shadow, say) is not a report, whatever its name.
      const info = await lstat(path.join(this.dir, file)).catch(() => undefined);
      if (!info?.isFile()) continue;
      entries.push({ file, sequence: Number(match[1]), reportId: match[2]!, bytes: info.size });
    }
    return entries;
  }

  /** Whether a report of this size can be spooled at all. */
  fits(bytes: number): boolean {
    return this.limits.maxReports >= 1 && bytes <= this.limits.maxBytes;
  }

  /** Whether one more report of `bytes` fits beside `entries` within both limits, dropping nothing. */
  hasRoom(entries: SpoolEntry[], bytes: number): boolean {
    const total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    return entries.length + 1 <= this.limits.maxReports && total + bytes <= this.limits.maxBytes;
  }

  /**
   * Drops the oldest reports until one more of `bytes` fits within both limits, and returns the
   * entries dropped (the caller counts them). Done before writing, so the spool never exceeds its bounds.
   */
  async makeRoom(entries: SpoolEntry[], bytes: number): Promise<SpoolEntry[]> {
    const dropped: SpoolEntry[] = [];
    let count = entries.length;
    let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    for (const entry of entries) {
      if (count + 1 <= this.limits.maxReports && total + bytes <= this.limits.maxBytes) break;
      await this.remove(entry);
      dropped.push(entry);
      count -= 1;
      total -= entry.bytes;
    }
    return dropped;
  }

  /** Writes a report durably after the newest one already spooled. */
  async add(entries: SpoolEntry[], reportId: string, json: string): Promise<SpoolEntry> {
    const sequence = entries.reduce((max, entry) => Math.max(max, entry.sequence), 0) + 1;
    const file = `${String(sequence).padStart(16, '0')}-${reportId}.json`;
    await writeDurably(this.dir, file, json);
    return { file, sequence, reportId, bytes: Buffer.byteLength(json) };
  }

  /** The report's JSON text, or undefined when another process already sent and removed it. */
  async read(entry: SpoolEntry): Promise<string | undefined> {
    try {
      return await readFileNoFollow(path.join(this.dir, entry.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Replaces a spooled report's content durably (a new temporary file renamed over it: a link put at
   * its name is replaced, never written through). False, writing nothing, when the report is gone
   * (sent and removed by another agent process): it must not come back.
   */
  async rewrite(entry: SpoolEntry, content: string): Promise<boolean> {
    const info = await lstat(path.join(this.dir, entry.file)).catch(() => undefined);
    if (!info?.isFile()) return false;
    await writeDurably(this.dir, entry.file, content);
    return true;
  }

  async remove(entry: SpoolEntry): Promise<void> {
    await rm(path.join(this.dir, entry.file), { force: true });
  }

  async readState(): Promise<SpoolState> {
    await this.prepare();
    try {
      const parsed = JSON.parse(await readFileNoFollow(path.join(this.dir, STATE_FILE))) as { dropped?: unknown };
      const dropped = typeof parsed.dropped === 'number' && Number.isSafeInteger(parsed.dropped) && parsed.dropped >= 0 ? parsed.dropped : 0;
      return { dropped };
    } catch {
      // Missing on first start; unreadable only after tampering. Counting from zero is the honest fallback.
      return { dropped: 0 };
    }
  }

  async writeState(state: SpoolState): Promise<void> {
    await this.prepare();
    await writeDurably(this.dir, STATE_FILE, `${JSON.stringify(state)}\n`);
  }
}
