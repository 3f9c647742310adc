// Per-client token buckets: each source address may send `burst` requests at once and `perMinute`
// a minute after that. One agent draining its spool after an outage fits in the burst; a client in a
// loop gets RESOURCE_EXHAUSTED with the seconds to wait, and the other clients never notice it.
// Pure (the clock is passed in); the map is bounded, so a scan from many addresses cannot grow it.

export interface RateLimit {
  perMinute: number;
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Clients remembered at most; beyond it, buckets that have refilled are forgotten (they are as new). */
export const MAX_TRACKED_CLIENTS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxClients = MAX_TRACKED_CLIENTS,
  ) {}

  private refill(bucket: Bucket, nowMs: number): void {
    const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (elapsedMs * this.limit.perMinute) / 60_000);
    bucket.updatedMs = nowMs;
  }

  take(client: string, nowMs: number): RateDecision {
    let bucket = this.buckets.get(client);
    if (bucket) this.refill(bucket, nowMs);
    else {
      this.makeRoom(nowMs);
      bucket = { tokens: this.limit.burst, updatedMs: nowMs };
      this.buckets.set(client, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.limit.perMinute));
    return { allowed: false, retryAfterSeconds };
  }

  get trackedClients(): number {
    return this.buckets.size;
  }

  private makeRoom(nowMs: number): void {
    if (this.buckets.size < this.maxClients) return;
    for (const [client, bucket] of this.buckets) {
      this.refill(bucket, nowMs);
      if (bucket.tokens >= this.limit.burst) this.buckets.delete(client);
    }
    // Every bucket busy (a flood from many addresses): forget the oldest entries.
    for (const client of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(client);
    }
  }
}
