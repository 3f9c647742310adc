// What ingest remembers between reports, per function instance: an API key's hash and the agent it
// names, from agentKeys/{keyId}. A key document never changes except to be revoked, and revoking,
// rotating or deleting also changes the agent document, which ingest reads fresh on every report
// (its keyId and revokedAt decide). So a cached key never lets a revoked key through, and steady
// state skips the key read.
//
// The agent document itself is not cached: with several instances (and the emulator's one request
// per worker process) a cached agent is nearly always stale by the next report of that agent, and a
// write conditional on a stale copy costs a refused commit plus the reads it was meant to save.

export interface CachedKey {
  /** sha256 of the key's secret, from agentKeys/{keyId}. */
  hash: string;
  workspaceId: string;
  agentId: string;
}

export class KeyCache {
  private readonly entries = new Map<string, CachedKey>();

  constructor(private readonly maxEntries = 10_000) {}

  get(keyId: string): CachedKey | undefined {
    const entry = this.entries.get(keyId);
    if (entry) {
      // Refresh its place: the Map's insertion order makes the oldest-used entry the first one.
      this.entries.delete(keyId);
      this.entries.set(keyId, entry);
    }
    return entry;
  }

  set(keyId: string, entry: CachedKey): void {
    this.entries.delete(keyId);
    this.entries.set(keyId, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  forget(keyId: string): void {
    this.entries.delete(keyId);
  }

  get size(): number {
    return this.entries.size;
  }
}
