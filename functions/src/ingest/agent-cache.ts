// What ingest remembers between reports of an agent, per function instance: the key's hash and where
// it points, and the agent document as of its last update time. Every write ingest makes is
// conditional on that update time, so any change made elsewhere (a revocation, a rotation, a
// deletion, the offline detector, another instance's ingest) fails the write; ingest then forgets
// the entry, reads both documents again and retries. A revocation therefore still stops the very next
// report, while an agent in steady state costs no read at all.
import type { Timestamp } from 'firebase-admin/firestore';

export interface CachedAgent {
  /** sha256 of the key's secret, from agentKeys/{keyId}. */
  hash: string;
  workspaceId: string;
  agentId: string;
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
