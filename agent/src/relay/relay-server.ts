// `vigil-agent relay`: an HTTPS server on the local network that takes agents' reports in the
// ingest's own protocol (POST {"data": report}, key in X-Vigil-Key) and forwards each, with its own
// key, to the uplink ingest. The cloud still checks every key; the relay checks only the key's format
// and its optional access list, so a refused key never leaves the network.
//   per request: rate limit (per source address) → route → key format → access list → declared size
//   → body (size limit, time limit) → JSON → forward; the ingest's answer goes back as it is.
//   uplink down (network error, 5xx, not the ingest): the report is spooled with its key sealed and
//   the agent hears "accepted" (`relayed: "spooled"`), so it does not spool it a second time. A full
//   spool answers 503 and a key id over its quota 429, both with Retry-After: the agent keeps the
//   report (relay-spool.ts: nothing acknowledged is ever dropped to make room).
// Every answer the relay gives itself has the callable's error shape, so agents treat it as they
// treat the ingest's (delivery/protocol.ts).
// POST /enroll is an agent's enrollment, forwarded to the uplink's enrollAgent (enroll-forward.ts);
// POST /agent-key an agent's key fetch of a rotation, forwarded to its fetchAgentKey (key-forward.ts);
// GET /agent-bundle the bundle of the newest update offer the uplink's answers carried (bundle-forward.ts).
import { documentIdSchema, formatApiKey, isInsecureHttpUrl, LIMITS, parseApiKey, RELAY_BUNDLE_PATH } from '@vigil/schema';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AGENT_KEY_HEADER, AGENT_TICKET_HEADER } from '../delivery/protocol.js';
import type { Logger } from '../log.js';
import { RELAY_ENROLL_ROUTE } from '../enroll/enroll-url.js';
import { RELAY_KEY_ROUTE } from '../rotation/key-url.js';
import { AccessListWatcher } from './access-list.js';
import { BundleForwarder } from './bundle-forward.js';
import { EnrollForwarder, MAX_ENROLL_BODY_BYTES } from './enroll-forward.js';
import { KeyForwarder } from './key-forward.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { RelaySpool, type KeyQuota } from './relay-spool.js';
import { Uplink, type BackoffOptions, type UplinkState } from './uplink.js';

/** The ingest's own limit on a request body: the report and the `{"data": …}` envelope around it. */
export const MAX_BODY_BYTES = LIMITS.reportBytes + 64;

export const REFUSED_KEY_MESSAGE = 'The agent key is missing, unknown or revoked, or not allowed at this relay.';

export interface RelayTimeouts {
  /** TLS handshake, then the request's headers. */
  handshakeMs: number;
  headersMs: number;
  /** The whole body, from the end of the headers: a client that stalls is cut off here. */
  bodyMs: number;
  /** One request to the uplink; shorter than an agent's own timeout (30 s), so the agent hears the outcome. */
  uplinkMs: number;
  /**
   * One enrollment forwarded to enrollAgent: longer than a report's, since a function's cold start
   * can take 10 s or more, and an enrollment cut off then may have been made (the agent could only
   * say "may have enrolled"); still shorter than the agent's own 30 s.
   */
  enrollUplinkMs: number;
}

/** The retry hint of a refusal for want of room: an agent retries no sooner than its next tick anyway. */
const RETRY_HINT_SECONDS = { min: 30, max: 300 };

export const RELAY_TIMEOUTS: RelayTimeouts = { handshakeMs: 10_000, headersMs: 10_000, bodyMs: 10_000, uplinkMs: 10_000, enrollUplinkMs: 25_000 };

export interface RelayServerOptions {
  /** PEM. */
  cert: string;
  key: string;
  stateDir: string;
  uplinkUrl: string;
  spoolLimits: { maxReports: number; maxBytes: number };
  /** What one key id may hold in the spool. */
  keyQuota: KeyQuota;
  rateLimit: RateLimit;
  /** The secret that seals spooled keys (key-sealing.ts). */
  secret: Buffer;
  log: Logger;
  version: string;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  timeouts?: Partial<RelayTimeouts>;
  backoff?: BackoffOptions;
}

export interface RelayHealth {
  ok: boolean;
  uplink: UplinkState;
  spooled: number;
  dropped: number;
  version: string;
}

export interface RelayServer {
  /** Resolves with the port it listens on. */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, lets requests in progress finish (up to `graceMs`), stops retrying the spool. */
  close(graceMs?: number): Promise<void>;
  health(): Promise<RelayHealth>;
  readonly uplink: Uplink;
  readonly spool: RelaySpool;
}

type BodyResult = { kind: 'ok'; text: string } | { kind: 'too-large'; bytes: number } | { kind: 'timeout' } | { kind: 'aborted' };

function readBody(request: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off('data', onData);
      if (result.kind !== 'ok') request.pause();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) finish({ kind: 'too-large', bytes });
      else chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => finish({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    request.once('error', () => finish({ kind: 'aborted' }));
    request.once('close', () => finish(request.complete ? { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') } : { kind: 'aborted' }));
  });
}

function callableError(status: string, message: string, details?: Record<string, unknown>): string {
  return JSON.stringify({ error: { status, message, ...(details ? { details } : {}) } });
}

export async function createRelayServer(options: RelayServerOptions): Promise<RelayServer> {
  const { log } = options;
  const now = options.now ?? Date.now;
  const timeouts = { ...RELAY_TIMEOUTS, ...options.timeouts };
  const limiter = new RateLimiter(options.rateLimit);
  const access = new AccessListWatcher(options.stateDir, (reason) => log.error('the relay access list is broken', { reason }));
  const spool = new RelaySpool(path.join(options.stateDir, 'spool'), options.spoolLimits, options.secret, options.keyQuota);
  await spool.entries(); // creates the spool directory (0700) now, not on the first outage
  const bundles = new BundleForwarder({
    fetch: options.fetch ?? globalThis.fetch,
    log,
    // A plain-http uplink was allowed by allow_insecure_http (agent-config.ts); its dashboard is then too.
    allowInsecureHttp: isInsecureHttpUrl(options.uplinkUrl),
  });
  const uplink = new Uplink({
    onAnswer: (status, text) => bundles.noteAnswer(status, text),
    url: options.uplinkUrl,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: timeouts.uplinkMs,
    spool,
    log,
    now,
    ...(options.random ? { random: options.random } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  const enrollments = new EnrollForwarder({
    uplinkUrl: options.uplinkUrl,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: timeouts.enrollUplinkMs,
    log,
    isAllowed: (keyId) => access.isAllowed(keyId),
  });
  const keyFetches = new KeyForwarder({
    uplinkUrl: options.uplinkUrl,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: timeouts.uplinkMs,
    log,
    stateDir: options.stateDir,
    isAllowed: (keyId) => access.isAllowed(keyId),
    refusedKeyMessage: REFUSED_KEY_MESSAGE,
  });

  async function health(): Promise<RelayHealth> {
    try {
      const status = await spool.status();
      return { ok: true, uplink: uplink.state, spooled: status.spooled, dropped: status.dropped, version: options.version };
    } catch {
      return { ok: false, uplink: uplink.state, spooled: 0, dropped: 0, version: options.version };
    }
  }

  /** Answers; with `close`, also ends the connection soon after, without reading what the client still sends. */
  function answer(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    body: string,
    close = false,
    headers: Record<string, string> = {},
  ) {
    if (response.headersSent || response.destroyed) return;
    const closeNow = close || !request.complete;
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      ...(closeNow ? { connection: 'close' } : {}),
      ...headers,
    });
    response.end(body, () => {
      if (closeNow) setTimeout(() => request.socket.destroy(), 500).unref();
    });
  }

  async function handleIngest(request: IncomingMessage, response: ServerResponse, client: string): Promise<void> {
    const presented = parseApiKey(request.headers[AGENT_KEY_HEADER.toLowerCase()]);
    if (!presented || !(await access.isAllowed(presented.keyId))) {
      log.info('refused a key at the relay', { client, keyId: presented?.keyId ?? null });
      return answer(request, response, 401, callableError('UNAUTHENTICATED', REFUSED_KEY_MESSAGE), true);
    }
    const { keyId } = presented;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      return answer(request, response, 413, tooLarge(declared), true);
    }
    const body = await readBody(request, MAX_BODY_BYTES, timeouts.bodyMs);
    switch (body.kind) {
      case 'aborted':
        request.socket.destroy();
        return;
      case 'timeout':
        log.info('cut off a client that did not send its request in time', { client, keyId, timeoutSeconds: timeouts.bodyMs / 1000 });
        return answer(request, response, 408, callableError('DEADLINE_EXCEEDED', 'The request body did not arrive in time.'), true);
      case 'too-large':
        return answer(request, response, 413, tooLarge(body.bytes), true);
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(body.text);
    } catch {
      return answer(request, response, 400, callableError('INVALID_ARGUMENT', 'The request body is not JSON.'));
    }
    if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope) || !('data' in envelope)) {
      return answer(request, response, 400, callableError('INVALID_ARGUMENT', 'The request body must be {"data": report}.'));
    }
    const key = formatApiKey(presented);

    if (!uplink.backingOff) {
      const present = (envelope as { data?: { backfill?: unknown } }).data?.backfill !== true;
      // The agent's ticket as it came (opaque, never logged); the uplink's own when it sent none.
      const ticket = request.headers[AGENT_TICKET_HEADER.toLowerCase()];
      const result = await uplink.forward(key, keyId, body.text, present, undefined, typeof ticket === 'string' ? ticket : undefined);
      if (result.kind === 'answered') return answer(request, response, result.status, result.text);
    }

    // The uplink is down: keep the report and tell the agent it is taken care of.
    const reportId = documentIdSchema.safeParse((envelope as { data?: { reportId?: unknown } }).data?.reportId);
    if (!reportId.success) {
      return answer(
        request,
        response,
        503,
        callableError('UNAVAILABLE', 'The relay cannot reach the ingest now, and cannot keep a request without a valid reportId.'),
      );
    }
    let spooled;
    try {
      spooled = await spool.add({ keyId, reportId: reportId.data, key, body: body.text });
    } catch (error) {
      log.error('could not write a report to the relay spool', {
        reportId: reportId.data,
        keyId,
        reason: error instanceof Error ? error.message : String(error),
      });
      return answer(request, response, 503, callableError('UNAVAILABLE', 'The relay cannot reach the ingest now and cannot spool; retry later.'));
    }
    switch (spooled.outcome) {
      case 'too-large':
        return answer(
          request,
          response,
          503,
          callableError('UNAVAILABLE', 'The relay cannot reach the ingest now and its spool is too small for this report.'),
        );
      case 'full': {
        const retryAfterSeconds = retryHintSeconds();
        log.warn('relay spool full: refused a report (its agent keeps it)', { reportId: reportId.data, keyId, client, ...options.spoolLimits });
        return refuse(
          request,
          response,
          503,
          'UNAVAILABLE',
          `The relay cannot reach the ingest now and its spool is full; keep the report and retry in ${retryAfterSeconds} s.`,
          retryAfterSeconds,
        );
      }
      case 'key-over-quota': {
        const retryAfterSeconds = retryHintSeconds();
        log.warn('a key id holds its whole quota of the relay spool: refused a report (its agent keeps it)', {
          reportId: reportId.data,
          keyId,
          client,
          ...options.keyQuota,
        });
        const message = `The relay cannot reach the ingest now and holds all it may for this key (${options.keyQuota.maxReports} reports, ${options.keyQuota.maxBytes} bytes); keep the report and retry in ${retryAfterSeconds} s.`;
        return refuse(request, response, 429, 'RESOURCE_EXHAUSTED', message, retryAfterSeconds);
      }
      case 'added':
      case 'duplicate':
        break;
    }
    log.debug('report spooled at the relay', { reportId: reportId.data, keyId, client, duplicate: spooled.outcome === 'duplicate' });
    const result = { accepted: true, duplicate: false, reportId: reportId.data, intervalSeconds: uplink.intervalFor(keyId), relayed: 'spooled' };
    return answer(request, response, 200, JSON.stringify({ result }));
  }

  /** POST /enroll (enroll-forward.ts): forwarded to the uplink's enrollAgent, never spooled. */
  async function handleEnroll(request: IncomingMessage, response: ServerResponse, client: string): Promise<void> {
    const admitted = enrollments.admit(request.headers, client, now());
    if (!('token' in admitted)) return answer(request, response, admitted.status, admitted.body, admitted.close, admitted.headers);
    const declared = Number(request.headers['content-length']);
    const body =
      Number.isFinite(declared) && declared > MAX_ENROLL_BODY_BYTES ? undefined : await readBody(request, MAX_ENROLL_BODY_BYTES, timeouts.bodyMs);
    if (body?.kind === 'aborted') return void request.socket.destroy();
    if (body?.kind !== 'ok') {
      const message =
        body?.kind === 'timeout' ? 'The request body did not arrive in time.' : `The request is larger than ${MAX_ENROLL_BODY_BYTES} bytes.`;
      return answer(
        request,
        response,
        body?.kind === 'timeout' ? 408 : 413,
        callableError(body?.kind === 'timeout' ? 'DEADLINE_EXCEEDED' : 'INVALID_ARGUMENT', message),
        true,
      );
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(body.text);
    } catch {
      envelope = undefined;
    }
    if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope) || !('data' in envelope)) {
      return answer(request, response, 400, callableError('INVALID_ARGUMENT', 'The request body must be {"data": enrollment}.'));
    }
    const forwarded = await enrollments.forward(admitted.token, body.text, client);
    return answer(request, response, forwarded.status, forwarded.body);
  }

  /** When an agent refused for room may try again: when the uplink is tried next, within [30 s, 5 min]. */
  function retryHintSeconds(): number {
    return Math.min(RETRY_HINT_SECONDS.max, Math.max(RETRY_HINT_SECONDS.min, uplink.secondsUntilRetry()));
  }

  function refuse(request: IncomingMessage, response: ServerResponse, status: number, code: string, message: string, retryAfterSeconds: number) {
    return answer(request, response, status, callableError(code, message, { retryAfterSeconds }), false, {
      'retry-after': String(retryAfterSeconds),
    });
  }

  function tooLarge(bytes: number): string {
    return callableError('INVALID_ARGUMENT', `The request is ${bytes} bytes or more; the limit is ${MAX_BODY_BYTES}.`, {
      issues: [{ path: '', message: `report larger than ${LIMITS.reportBytes} bytes` }],
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const client = request.socket.remoteAddress ?? 'unknown';
    const decision = limiter.take(client, now());
    if (!decision.allowed) {
      const message = `Too many requests from this address; retry in ${decision.retryAfterSeconds} s.`;
      return answer(request, response, 429, callableError('RESOURCE_EXHAUSTED', message, { retryAfterSeconds: decision.retryAfterSeconds }), true, {
        'retry-after': String(decision.retryAfterSeconds),
      });
    }
    const route = (request.url ?? '/').split('?')[0];
    if (route === '/healthz') {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return answer(request, response, 405, callableError('INVALID_ARGUMENT', 'Use GET.'), true);
      return answer(request, response, 200, JSON.stringify(await health()));
    }
    if (route === RELAY_ENROLL_ROUTE) {
      if (request.method !== 'POST') return answer(request, response, 405, callableError('INVALID_ARGUMENT', 'Use POST.'), true);
      return handleEnroll(request, response, client);
    }
    if (route === RELAY_KEY_ROUTE) {
      if (request.method !== 'POST') return answer(request, response, 405, callableError('INVALID_ARGUMENT', 'Use POST.'), true);
      const forwarded = await keyFetches.handle(request.headers, client, now());
      return answer(request, response, forwarded.status, forwarded.body, forwarded.close, forwarded.headers);
    }
    if (route === RELAY_BUNDLE_PATH) {
      if (request.method !== 'GET') return answer(request, response, 405, callableError('INVALID_ARGUMENT', 'Use GET.'), true);
      const refused = await bundles.serve(response, client);
      return refused && answer(request, response, refused.status, refused.body);
    }
    if (route !== '/ingest') return answer(request, response, 404, callableError('NOT_FOUND', 'Not found. Agents send to /ingest.'), true);
    if (request.method !== 'POST') return answer(request, response, 405, callableError('INVALID_ARGUMENT', 'Use POST.'), true);
    return handleIngest(request, response, client);
  }

  // Loaded here, not with the bundle: the other commands never serve HTTPS, and node:https costs
  // most of 1 MiB of memory at start-up (bench/agent-collect.mjs).
  const { createServer } = await import('node:https');
  const server = createServer(
    {
      cert: options.cert,
      key: options.key,
      handshakeTimeout: timeouts.handshakeMs,
      // Node's own cut-off for receiving a request; ours (bodyMs, a 408 in the callable's shape) comes first.
      requestTimeout: timeouts.headersMs + timeouts.bodyMs + 1_000,
      headersTimeout: timeouts.headersMs,
      keepAliveTimeout: 5_000,
      // How often Node checks the two timeouts above (Node 18.12+; older ones check every 30 s).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
      maxHeaderSize: 16 * 1024,
    } as https.ServerOptions,
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        log.error('relay request failed', { reason: error instanceof Error ? error.message : String(error) });
        answer(request, response, 500, callableError('INTERNAL', 'Internal error.'), true);
      });
    },
  );
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.headersMs + timeouts.bodyMs + 1_000;
  server.maxConnections = 1_024;
  // A socket that says nothing at all (no handshake, no request) is closed as well.
  server.setTimeout(timeouts.handshakeMs + timeouts.headersMs + timeouts.bodyMs + timeouts.uplinkMs);
  server.on('tlsClientError', () => undefined);

  return {
    uplink,
    spool,
    health,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          // Whatever an earlier run left in the spool goes out now.
          uplink.scheduleDrain(0);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close(graceMs = 5_000) {
      uplink.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections?.();
      const timer = setTimeout(() => server.closeAllConnections?.(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
