// The relay's `POST /agent-key` (rotation/key-url.ts): an agent behind a relay fetches its rotated
// key through it, as it enrolls (enroll-forward.ts). The request goes to the uplink's fetchAgentKey
// (the callable beside its ingestReport) with the agent's own key in X-Vigil-Key and the callable's
// empty body; the cloud's answer goes back as it is. Never spooled: the agent needs its key now,
// and only the cloud checks a key (and issues at most one new one per KEY_ROTATION.minFetchSeconds).
//   rate limit (per source address) → key format → access list → forward → the answer, or 503
// An access list that names the agent's key id (an allowlist) lets its new key id through too: the
// cloud vouched for it by answering the old key, and without it the agent's next report, with the
// new key, would be refused here and the rotation never end. The relay adds it to access.json and
// logs both key ids, never a key.
import { AGENT_KEY_HEADER, formatApiKey, parseApiKey } from '@vigil/schema';
import { postRaw } from '../delivery/protocol.js';
import type { Logger } from '../log.js';
import { fetchKeyUrlFor } from '../rotation/key-url.js';
import { allowKeyId, readAccessList, writeAccessList } from './access-list.js';
import type { RelayAnswer } from './enroll-forward.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { isIngestAnswer } from './uplink.js';

/** Key fetches from one address: an agent fetches once per rotation (the server paces it to one per 10 s). */
export const KEY_FETCH_RATE_LIMIT: RateLimit = { perMinute: 6, burst: 5 };

/** fetchAgentKey takes no input: the body the relay sends, whatever the agent sent. */
const FETCH_KEY_BODY = '{"data":{}}';

export interface KeyForwarderOptions {
  uplinkUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  stateDir: string;
  isAllowed: (keyId: string) => Promise<boolean>;
  refusedKeyMessage: string;
  rateLimit?: RateLimit;
}

function callableError(status: string, message: string, details?: Record<string, unknown>): string {
  return JSON.stringify({ error: { status, message, ...(details ? { details } : {}) } });
}

export class KeyForwarder {
  private readonly limiter: RateLimiter;
  /** The uplink's fetchAgentKey; undefined when the uplink URL has none. */
  private readonly url: string | undefined;

  constructor(private readonly options: KeyForwarderOptions) {
    this.limiter = new RateLimiter(options.rateLimit ?? KEY_FETCH_RATE_LIMIT);
    this.url = fetchKeyUrlFor(options.uplinkUrl);
  }

  /** Admits and forwards one key fetch; what to answer the agent. */
  async handle(headers: Record<string, string | string[] | undefined>, client: string, nowMs: number): Promise<RelayAnswer> {
    const decision = this.limiter.take(client, nowMs);
    if (!decision.allowed) {
      const message = `Too many key fetches from this address; retry in ${decision.retryAfterSeconds} s.`;
      return {
        status: 429,
        body: callableError('RESOURCE_EXHAUSTED', message, { retryAfterSeconds: decision.retryAfterSeconds }),
        close: true,
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
      };
    }
    const key = headers[AGENT_KEY_HEADER.toLowerCase()];
    const presented = typeof key === 'string' ? parseApiKey(key) : undefined;
    if (!presented || !(await this.options.isAllowed(presented.keyId))) {
      this.options.log.info('refused a key fetch at the relay', { client, keyId: presented?.keyId ?? null });
      return { status: 401, body: callableError('UNAUTHENTICATED', this.options.refusedKeyMessage), close: true };
    }
    if (!this.url) {
      return { status: 503, body: callableError('UNAVAILABLE', 'This relay cannot forward key fetches: its uplink is not an ingestReport URL.') };
    }
    const answer = await postRaw({
      fetch: this.options.fetch,
      endpoint: this.url,
      key: formatApiKey(presented),
      body: FETCH_KEY_BODY,
      timeoutMs: this.options.timeoutMs,
    });
    if ('networkError' in answer || !isIngestAnswer(answer.status, answer.text)) {
      const reason = 'networkError' in answer ? answer.networkError : `HTTP ${answer.status}, not the fetchAgentKey function`;
      this.options.log.warn('could not forward a key fetch to the uplink', { client, keyId: presented.keyId, reason });
      return { status: 503, body: callableError('UNAVAILABLE', 'The relay cannot reach the cloud now; the current key keeps working.') };
    }
    if (answer.status === 200) await this.noteNewKey(presented.keyId, answer.text, client);
    return { status: answer.status, body: answer.text };
  }

  /** Logs the rotation by key ids, and lets the new key id through an allowlist that named the old one. */
  private async noteNewKey(oldKeyId: string, text: string, client: string): Promise<void> {
    const result = (JSON.parse(text) as { result?: { key?: unknown } }).result;
    const newKeyId = parseApiKey(result?.key)?.keyId;
    if (!newKeyId) return;
    try {
      const list = await readAccessList(this.options.stateDir);
      if (list.allow.includes(oldKeyId) && !list.allow.includes(newKeyId)) {
        await writeAccessList(this.options.stateDir, allowKeyId(list, newKeyId));
        this.options.log.info('an agent fetched its rotated key through the relay; its new key id is allowed like the old one', {
          client,
          keyId: oldKeyId,
          newKeyId,
        });
        return;
      }
    } catch (error) {
      this.options.log.error(`could not allow the rotated key id; allow it with: vigil-agent relay allow ${newKeyId}`, {
        keyId: oldKeyId,
        newKeyId,
        reason: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    this.options.log.info('an agent fetched its rotated key through the relay', { client, keyId: oldKeyId, newKeyId });
  }
}
