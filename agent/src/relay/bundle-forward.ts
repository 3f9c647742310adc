// The relay's `GET /agent-bundle` (RELAY_BUNDLE_PATH): agents behind a relay download an offered
// agent bundle through it (update/download.ts), since they reach nothing else. The relay remembers
// the update offer of the newest ingest answer it had from its uplink (`update`: version, sha256,
// url; uplink.ts hands it every answer) and streams the bundle from that offer's URL: never from a
// URL a client names. Capped at MAX_BUNDLE_BYTES; the agent checks the SHA-256 of the offer it got
// itself, so the relay only logs a mismatch. No key is asked: the bundle is what the dashboard serves
// to anyone, and the relay's per-address rate limit holds a client that loops.
//   no offer seen yet → 404 saying so; the dashboard unreachable or not 200 → 502; too large → 502
//   before any byte, or the connection cut once past the cap.
import { agentUpdateOfferSchema, INSECURE_HTTP_MESSAGE, isInsecureHttpUrl, type AgentUpdateOffer } from '@vigil/schema';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { MAX_BUNDLE_BYTES } from '../update/download.js';
import type { RelayAnswer } from './enroll-forward.js';

/** The whole download from the dashboard; shorter than the agent's own (update/download.ts, 120 s). */
export const BUNDLE_TIMEOUT_MS = 110_000;

export const NO_OFFER_MESSAGE =
  'This relay has passed on no agent update offer from its uplink yet, so it has no bundle to serve; an agent downloads after a reply offers one.';

export interface BundleForwarderOptions {
  fetch: typeof fetch;
  log: Logger;
  /** The relay's uplink is plain http (allow_insecure_http): an offer's http URL is accepted as well. */
  allowInsecureHttp: boolean;
  maxBytes?: number;
  timeoutMs?: number;
}

function callableError(status: string, message: string): string {
  return JSON.stringify({ error: { status, message } });
}

/** The offer an ingest answer carries (`result.update`), or undefined. Pure. */
export function offerOf(status: number, text: string): AgentUpdateOffer | undefined {
  if (status !== 200) return undefined;
  let body: { result?: { update?: unknown } } | null;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return undefined;
  }
  const offer = agentUpdateOfferSchema.safeParse(body?.result?.update);
  return offer.success ? offer.data : undefined;
}

/** Resolves when `response` can take more (drain) or is gone (close): false when gone. */
function writable(response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(open);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}

export class BundleForwarder {
  private offer: AgentUpdateOffer | undefined;
  private readonly maxBytes: number;

  constructor(private readonly options: BundleForwarderOptions) {
    this.maxBytes = options.maxBytes ?? MAX_BUNDLE_BYTES;
  }

  /** The offer served now (for tests and health). */
  get current(): AgentUpdateOffer | undefined {
    return this.offer;
  }

  /** An ingest answer from the uplink: its offer, if it carries one, is the one served from now on. */
  noteAnswer(status: number, text: string): void {
    const offer = offerOf(status, text);
    if (!offer || (offer.sha256 === this.offer?.sha256 && offer.url === this.offer.url)) return;
    let url: URL;
    try {
      url = new URL(offer.url);
    } catch {
      return this.options.log.warn('ignored an update offer whose URL is not a URL', { version: offer.version });
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
      return this.options.log.warn('ignored an update offer whose URL is not plain https://', { version: offer.version });
    }
    if (!this.options.allowInsecureHttp && isInsecureHttpUrl(url.href)) {
      return this.options.log.warn(`ignored an update offer whose URL is ${INSECURE_HTTP_MESSAGE}`, { version: offer.version });
    }
    this.offer = offer;
    this.options.log.info('the uplink offers an agent version; agents behind this relay download it here', {
      version: offer.version,
      sha256: offer.sha256,
    });
  }

  /** Streams the offered bundle into `response`; an answer to give instead when it cannot. */
  async serve(response: ServerResponse, client: string): Promise<RelayAnswer | undefined> {
    const offer = this.offer;
    if (!offer) return { status: 404, body: callableError('NOT_FOUND', NO_OFFER_MESSAGE) };
    const fields = { client, version: offer.version };
    let upstream: Response;
    try {
      upstream = await this.options.fetch(offer.url, { redirect: 'error', signal: AbortSignal.timeout(this.options.timeoutMs ?? BUNDLE_TIMEOUT_MS) });
    } catch (error) {
      this.options.log.warn('could not download the offered agent bundle', {
        ...fields,
        reason: error instanceof Error ? error.message : String(error),
      });
      return { status: 502, body: callableError('UNAVAILABLE', 'The relay cannot download the agent bundle now; the agent tries again later.') };
    }
    const declared = Number(upstream.headers.get('content-length') ?? NaN);
    if (!upstream.ok || !upstream.body || declared > this.maxBytes) {
      await upstream.body?.cancel().catch(() => undefined);
      const reason = upstream.ok ? `it is ${declared} bytes, more than ${this.maxBytes}` : `the dashboard answered HTTP ${upstream.status}`;
      this.options.log.warn('could not download the offered agent bundle', { ...fields, reason });
      return { status: 502, body: callableError('UNAVAILABLE', `The relay cannot serve the agent bundle: ${reason}.`) };
    }
    response.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-store',
      ...(Number.isFinite(declared) ? { 'content-length': String(declared) } : {}),
    });
    const hash = createHash('sha256');
    let bytes = 0;
    const reader = upstream.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        if (bytes > this.maxBytes) throw new Error(`the bundle is larger than ${this.maxBytes} bytes`);
        hash.update(value);
        if (!response.write(value) && !(await writable(response))) throw new Error('the client went away');
      }
    } catch (error) {
      this.options.log.warn('cut off an agent bundle download', { ...fields, bytes, reason: error instanceof Error ? error.message : String(error) });
      await reader.cancel().catch(() => undefined);
      response.destroy();
      return undefined;
    }
    response.end();
    const sha256 = hash.digest('hex');
    if (sha256 !== offer.sha256) {
      this.options.log.warn("served an agent bundle whose SHA-256 is not the offer's; the agent refuses it", { ...fields, sha256, bytes });
    } else {
      this.options.log.info('served the agent bundle', { ...fields, bytes });
    }
    return undefined;
  }
}
