// The relay's `POST /enroll`: agents behind a relay reach the cloud only through it, so their
// enrollment does too. The request goes to the uplink's enrollAgent (its ingestReport's sibling,
// enroll/enroll-url.ts) with the same X-Vigil-Enrollment-Token header and the body as it came, and
// the cloud's answer goes back as it is. It is never spooled: the agent needs its key now, and a
// token is checked (and a use counted) only by the cloud.
//   rate limit (per source address, tighter than reports) → token format → [body: relay-server.ts]
//   → forward → the answer, or 503 when the cloud cannot be reached
// The access list is of key ids, and an agent enrolling has none yet: enrollment is open to every
// client that reaches the relay, like the ingest, with the token as the authority. At a relay whose
// access list allows only some key ids, the new agent's reports are refused until its key id is
// allowed: the relay logs the key id and the command, never the key.
import { ENROLLMENT_TOKEN_LIMITS, parseApiKey, parseEnrollmentToken } from '@vigil/schema';
import { ENROLLMENT_TOKEN_HEADER, postEnrollment } from '../enroll/enroll-request.js';
import { enrollUrlFor } from '../enroll/enroll-url.js';
import type { Logger } from '../log.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { isIngestAnswer } from './uplink.js';

/** Enrollments from one address: a few at once (a retry, a second try with labels), then one every 10 s. */
export const ENROLL_RATE_LIMIT: RateLimit = { perMinute: 6, burst: 5 };

/** The largest enrollment request the relay reads: the cloud's own limit. */
export const MAX_ENROLL_BODY_BYTES = ENROLLMENT_TOKEN_LIMITS.requestBytes;

export const REFUSED_TOKEN_MESSAGE = 'The enrollment token is missing or malformed (expected vgle_<token id>_<secret>).';

export interface RelayAnswer {
  status: number;
  body: string;
  /** Close the connection after answering (the body may still be arriving). */
  close?: boolean;
  headers?: Record<string, string>;
}

export interface EnrollForwarderOptions {
  uplinkUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  /** Whether the access list lets this key id through (a new agent's may need `relay allow`). */
  isAllowed: (keyId: string) => Promise<boolean>;
  rateLimit?: RateLimit;
}

function callableError(status: string, message: string, details?: Record<string, unknown>): string {
  return JSON.stringify({ error: { status, message, ...(details ? { details } : {}) } });
}

export class EnrollForwarder {
  private readonly limiter: RateLimiter;
  /** The uplink's enrollAgent; undefined when the uplink URL has none (then every enrollment is refused, saying why). */
  private readonly url: string | undefined;

  constructor(private readonly options: EnrollForwarderOptions) {
    this.limiter = new RateLimiter(options.rateLimit ?? ENROLL_RATE_LIMIT);
    try {
      this.url = enrollUrlFor(options.uplinkUrl);
    } catch {
      this.url = undefined;
    }
  }

  /** Before the body is read: an answer refuses the request; `{token}` lets it through. */
  admit(headers: Record<string, string | string[] | undefined>, client: string, nowMs: number): RelayAnswer | { token: string } {
    const decision = this.limiter.take(client, nowMs);
    if (!decision.allowed) {
      const message = `Too many enrollments from this address; retry in ${decision.retryAfterSeconds} s.`;
      return {
        status: 429,
        body: callableError('RESOURCE_EXHAUSTED', message, { retryAfterSeconds: decision.retryAfterSeconds }),
        close: true,
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
      };
    }
    const header = headers[ENROLLMENT_TOKEN_HEADER.toLowerCase()];
    const token = typeof header === 'string' ? header.trim() : undefined;
    if (!token || !parseEnrollmentToken(token)) {
      this.options.log.info('refused an enrollment without a well-formed token at the relay', { client });
      return { status: 403, body: callableError('PERMISSION_DENIED', REFUSED_TOKEN_MESSAGE), close: true };
    }
    if (!this.url) {
      return {
        status: 503,
        body: callableError('UNAVAILABLE', 'This relay cannot forward enrollments: its uplink is not an ingestReport URL.'),
        close: true,
      };
    }
    return { token };
  }

  /** Forwards the body as it came; the cloud's answer as it is, or 503 when it did not answer. */
  async forward(token: string, body: string, client: string): Promise<RelayAnswer> {
    const url = this.url!;
    const answer = await postEnrollment({ fetch: this.options.fetch, url, token, body, timeoutMs: this.options.timeoutMs });
    if ('networkError' in answer || !isIngestAnswer(answer.status, answer.text)) {
      const reason = 'networkError' in answer ? answer.networkError : `HTTP ${answer.status}, not the enrollAgent function`;
      this.options.log.warn('could not forward an enrollment to the uplink', { client, reason });
      return { status: 503, body: callableError('UNAVAILABLE', 'The relay cannot reach the cloud now; enroll again later.') };
    }
    if (answer.status === 200) await this.logEnrolled(answer.text, client);
    return { status: answer.status, body: answer.text };
  }

  private async logEnrolled(text: string, client: string): Promise<void> {
    const result = (JSON.parse(text) as { result?: { agentId?: unknown; key?: unknown; reused?: unknown } }).result;
    const keyId = parseApiKey(result?.key)?.keyId ?? null;
    const fields = { client, agentId: typeof result?.agentId === 'string' ? result.agentId : null, keyId, reused: result?.reused === true };
    if (keyId && !(await this.options.isAllowed(keyId))) {
      this.options.log.warn(`an agent enrolled through the relay; its reports are refused here until: vigil-agent relay allow ${keyId}`, fields);
    } else {
      this.options.log.info('an agent enrolled through the relay', fields);
    }
  }
}
