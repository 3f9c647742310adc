// Key ids ingest refused recently (unknown, revoked, or naming an agent that is gone or has another
// key), per function instance, so that a caller repeating a dead key costs no Firestore read. Only
// for the key id's own sake: a wrong secret for a working key id is never remembered here, or anyone
// who saw a key id could lock its agent out.
// Bounded: at most maxEntries ids (least recently refused forgotten first), each for ttlMs. Safe to
// remember: a revoked key never works again (rotation issues a new key id), and key ids are 80
// random bits chosen by createAgent/rotateAgentKey, so a key created later cannot have an id that was
// refused earlier, unless someone guessed it in advance. Worst case, a key created after its id was
// refused here works ttlMs later.
export interface RefusedKeysOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class RefusedKeys {
  /** key id → when the refusal expires; the Map's insertion order makes the oldest refusal the first entry. */
  private readonly expiries = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor({ ttlMs = 60_000, maxEntries = 4096, now = Date.now }: RefusedKeysOptions = {}) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
    this.now = now;
  }

  has(keyId: string): boolean {
    const expiry = this.expiries.get(keyId);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.expiries.delete(keyId);
    return false;
  }

  add(keyId: string): void {
    this.expiries.delete(keyId);
    this.expiries.set(keyId, this.now() + this.ttlMs);
    while (this.expiries.size > this.maxEntries) {
      const oldest = this.expiries.keys().next().value;
      if (oldest === undefined) break;
      this.expiries.delete(oldest);
    }
  }

  get size(): number {
    return this.expiries.size;
  }
}
