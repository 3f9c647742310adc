// A `fetch` for an https:// endpoint whose certificate is pinned by its SHA-256 fingerprint (a Vigil
// relay with a self-signed certificate). Node's global fetch cannot pin, so this opens the TLS
// connection itself, compares the certificate the server presented with the pin, and only then sends
// the request over that connection: nothing, not even the request line, reaches a server whose
// certificate does not match. Certificate authorities and host names play no part: the pin is the
// whole trust decision (the relay's certificate is usually self-signed, and its address an IP).
import { normalizeFingerprint } from '@vigil/schema';
import net from 'node:net';
import type tls from 'node:tls';

/** An answer larger than this is cut off: a relay or the ingest answers in a few hundred bytes (an agent bundle downloaded through a relay passes its own cap). */
const MAX_ANSWER_BYTES = 1024 * 1024;

export class PinMismatchError extends Error {
  override name = 'PinMismatchError';
}

/** `AB:CD:…` as Node's `fingerprint256` gives it, or anything normalizeFingerprint accepts, as lowercase hex. */
export function fingerprintHex(text: string): string {
  return normalizeFingerprint(text) ?? text.replace(/:/g, '').toLowerCase();
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
  return headers;
}

function bodyOf(init: RequestInit | undefined): string | Buffer | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('pinned fetch sends string or byte bodies only');
}

/** Opens a TLS connection and resolves once the server's certificate matches `pin`. */
function connectPinned(tlsModule: typeof tls, url: URL, pin: string, signal: AbortSignal | undefined): Promise<tls.TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tlsModule.connect({
      host,
      port: Number(url.port || 443),
      // The pin replaces the certificate-authority check and the host-name check, below.
      rejectUnauthorized: false,
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
    });
    const fail = (error: unknown) => {
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', fail);
      const presented = fingerprintHex(socket.getPeerCertificate().fingerprint256 ?? '');
      if (presented !== pin) {
        socket.destroy();
        reject(
          new PinMismatchError(
            `the certificate of ${url.host} (sha256 ${presented.slice(0, 16)}…) does not match relay_fingerprint (${pin.slice(0, 16)}…)`,
          ),
        );
        return;
      }
      resolve(socket);
    });
  });
}

/** A fetch that trusts exactly the certificate with this SHA-256 fingerprint (hex, colons allowed). */
export function pinnedFetch(fingerprint: string, options: { maxAnswerBytes?: number } = {}): typeof fetch {
  const pin = fingerprintHex(fingerprint);
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  return async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'https:') throw new TypeError(`a pinned certificate needs an https:// endpoint, not ${url.protocol}//`);
    const signal = init?.signal ?? undefined;
    // Loaded here, not with the bundle: node:tls and node:https cost most of 1 MiB of memory at
    // start-up, and most agents never pin (collect sends nothing). bench/agent-collect.mjs measures it.
    const [tlsModule, httpsModule] = await Promise.all([import('node:tls'), import('node:https')]);
    const socket = await connectPinned(tlsModule, url, pin, signal);
    return new Promise<Response>((resolve, reject) => {
      const request = httpsModule.request({
        method: init?.method ?? 'GET',
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        headers: headersOf(init),
        // The connection checked above, and no other.
        createConnection: () => socket,
      });
      const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      request.once('error', (error) => {
        settle();
        reject(error);
      });
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxAnswerBytes) request.destroy(new Error(`the answer is larger than ${maxAnswerBytes} bytes`));
          else chunks.push(chunk);
        });
        response.once('error', (error) => {
          settle();
          reject(error);
        });
        response.once('end', () => {
          settle();
          const status = response.statusCode ?? 502;
          const nullBody = status === 204 || status === 205 || status === 304 || status < 200;
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status: status < 200 ? 502 : status, headers }));
        });
      });
      request.end(bodyOf(init));
    });
  };
}
