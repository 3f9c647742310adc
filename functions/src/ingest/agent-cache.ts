// What ingest remembers between reports, per function instance, keyed by API key id:
//   - the key's hash, the agent it names and when it was issued, from agentKeys/{keyId}. A key document never changes
//     except to be revoked, and revoking, rotating or deleting also changes the agent document;
//     remembered even when the secret presented did not match, so that wrong secrets for a key id
//     cost no read either (the key is still checked against its agent before anything is accepted);
//   - the agent document as of its last update time, when this instance last read or wrote it.
// Ingest's agent write is conditional on that update time, so any change made elsewhere (a
// revocation, a rotation, a deletion, the offline detector, settings copied by onWorkspaceWritten,
// another instance's ingest) fails the write; ingest then reads the agent again (the key stays
// cached: it cannot change without the agent changing too) and decides again. So a revocation
// still stops the very next report, and an agent whose reports reach the same instance costs no
// read at all.
// Sized beside the agent ticket (agent-ticket.ts; docs/architecture.md, "Ingest"): an agent that
// sends its ticket needs no cached copy, so the cache serves agents without one (an older agent, a
// relay restarted) and keeps every key's hash and ticket secret. MAX_CACHED_AGENTS entries; an
// entry keeps only what ingest reads (ingestAgentSchema's fields), its hourly histories packed into
// typed arrays (cache-packing.ts): about 12 KiB of heap for a typical agent (3 solutions, 5 metrics
// each, 48 hours of both histories; 34 KiB unpacked), so the whole cache takes about 300 MiB at
// 25,000 such agents, within ingest's 2 GiB (index.ts). Keys are kept apart and longer
// (MAX_CACHED_KEYS, a few hundred bytes each): an agent whose copy was evicted still needs no key
// read to have its ticket checked.
import { ingestAgentSchema, type IngestAgent } from '@vigil/schema';
import type { Timestamp } from 'firebase-admin/firestore';
import { packMetricsHistory, packTestsHistory, unpackHistory } from './cache-packing.js';

/** A quarter of the 100,000-host scale target: the ticket carries the rest (see above). */
export const MAX_CACHED_AGENTS = 25_000;
/** Twice the scale target's keys: about 100 MiB at most. */
export const MAX_CACHED_KEYS = 200_000;
const INGEST_FIELDS = Object.keys(ingestAgentSchema.shape);

export interface CachedKey {
  /** sha256 of the key's secret, from agentKeys/{keyId}. */
  hash: string;
  workspaceId: string;
  agentId: string;
  /** The key's ticket secret (agent-ticket.ts), from agentKeys/{keyId}: absent only when ingest could not give an old key one. */
  ticketSecret?: string;
  /** When the key was issued (agentKeys/{keyId}.createdAt, ms): automatic key rotation's age. */
  issuedAtMs: number;
}

export interface CachedAgent extends CachedKey {
  /** The agent document's data as of updateTime, as ingest reads it (ingestAgentSchema). */
  agent: IngestAgent;
  updateTime: Timestamp;
}

/** Least recently used first, in the Map's insertion order: a read moves an entry to the end. */
function touch<V>(map: Map<string, V>, keyId: string): V | undefined {
  const value = map.get(keyId);
  if (value !== undefined) {
    map.delete(keyId);
    map.set(keyId, value);
  }
  return value;
}

function put<V>(map: Map<string, V>, keyId: string, value: V, maxEntries: number): void {
  map.delete(keyId);
  map.set(keyId, value);
  while (map.size > maxEntries) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

/** What the cache holds of an agent: ingest's fields only, the histories packed. */
function packed(agent: IngestAgent): IngestAgent {
  const kept = Object.fromEntries(
    INGEST_FIELDS.filter((field) => Object.hasOwn(agent, field)).map((field) => [field, agent[field as keyof IngestAgent]]),
  );
  return { ...(kept as IngestAgent), testsHistory: packTestsHistory(agent.testsHistory), metricsHistory: packMetricsHistory(agent.metricsHistory) };
}

function unpacked(entry: CachedAgent): CachedAgent {
  const { agent } = entry;
  return { ...entry, agent: { ...agent, testsHistory: unpackHistory(agent.testsHistory), metricsHistory: unpackHistory(agent.metricsHistory) } };
}

export class AgentCache {
  private readonly entries = new Map<string, CachedAgent>();
  /** Every key read or written here, its agent cached or not (a wrong secret, an agent that failed its check, one evicted). */
  private readonly keys = new Map<string, CachedKey>();

  constructor(
    private readonly maxEntries = MAX_CACHED_AGENTS,
    private readonly maxKeys = MAX_CACHED_KEYS,
  ) {}

  get(keyId: string): CachedAgent | undefined {
    const entry = touch(this.entries, keyId);
    return entry && unpacked(entry);
  }

  set(keyId: string, entry: CachedAgent): void {
    put(this.entries, keyId, { ...entry, agent: packed(entry.agent) }, this.maxEntries);
    this.setKey(keyId, entry);
  }

  /** The key alone (kept longer than its agent). */
  getKey(keyId: string): CachedKey | undefined {
    const key = touch(this.keys, keyId);
    return key && { ...key };
  }

  setKey(keyId: string, key: CachedKey): void {
    const { hash, workspaceId, agentId, ticketSecret, issuedAtMs } = key;
    put(this.keys, keyId, { hash, workspaceId, agentId, issuedAtMs, ...(ticketSecret === undefined ? {} : { ticketSecret }) }, this.maxKeys);
  }

  forget(keyId: string): void {
    this.entries.delete(keyId);
    this.keys.delete(keyId);
  }

  get size(): number {
    return this.entries.size;
  }
}
