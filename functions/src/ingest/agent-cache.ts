// What ingest remembers between reports, per function instance, keyed by API key id:
//   - the key's hash and the agent it names, from agentKeys/{keyId}. A key document never changes
//     except to be revoked, and revoking, rotating or deleting also changes the agent document;
//   - the agent document as of its last update time, when this instance last read or wrote it.
// Ingest's agent write is conditional on that update time, so any change made elsewhere (a
// revocation, a rotation, a deletion, the offline detector, settings copied by onWorkspaceWritten,
// another instance's ingest) fails the write; ingest then reads the agent again (the key stays
// cached: it cannot change without the agent changing too) and decides again. So a revocation
// still stops the very next report, and an agent whose reports reach the same instance costs no
// read at all.
import type { Timestamp } from 'firebase-admin/firestore';

export interface CachedKey {
  /** sha256 of the key's secret, from agentKeys/{keyId}. */
  hash: string;
  workspaceId: string;
  agentId: string;
}

export interface CachedAgent extends CachedKey {
  /** The agent document's data as of updateTime. */
  agent: Record<string, unknown>;
  updateTime: Timestamp;
}

export class AgentCache {
  private readonly entries = new Map<string, CachedAgent>();

  constructor(private readonly maxEntries = 10_000) {}

  get(keyId: string): CachedAgent | undefined {
    const entry = this.entries.get(keyId);
    if (entry) {
      // Refresh its place: the Map's insertion order makes the oldest-used entry the first one.
      this.entries.delete(keyId);
      this.entries.set(keyId, entry);
    }
    return entry;
  }

  set(keyId: string, entry: CachedAgent): void {
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
