// Helpers for the relay's tests: a real self-signed certificate (openssl, made once per test file),
// a fake uplink that answers as the test scripts, a relay on a free port, and clients.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { pinnedFetch } from '../../src/delivery/pinned-fetch.js';
import { RealHost } from '../../src/host/real-host.js';
import { createLogger } from '../../src/log.js';
import { loadOrCreateCertificate, type RelayCertificate } from '../../src/relay/certificate.js';
import { loadOrCreateSecret } from '../../src/relay/key-sealing.js';
import { createRelayServer, type RelayServer, type RelayServerOptions } from '../../src/relay/relay-server.js';

export const KEY_A = `vgl_aaaaaaaaaaaaaaaa_${'A'.repeat(43)}`;
export const KEY_B = `vgl_bbbbbbbbbbbbbbbb_${'B'.repeat(43)}`;

/** The certificate the tests use: its PEM text and fingerprint (the files it was made in are gone). */
export type TestCertificate = Omit<RelayCertificate, 'certFile' | 'keyFile'>;

let certificate: Promise<TestCertificate> | undefined;

async function makeCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-relay-cert-'));
  try {
    const made = await loadOrCreateCertificate(new RealHost(), { stateDir: dir });
    return { cert: made.cert, key: made.key, fingerprint: made.fingerprint, generated: made.generated };
  } finally {
    // The tests need the PEM text only, which is in memory now: leave nothing behind in /tmp.
    await rm(dir, { recursive: true, force: true });
  }
}

/** One self-signed certificate for the whole test file (openssl takes a moment). */
export function testCertificate(): Promise<TestCertificate> {
  certificate ??= makeCertificate();
  return certificate;
}

export interface UplinkRequest {
  key: string | undefined;
  body: string;
}

export type UplinkReply = { status: number; body: string } | 'hang' | 'destroy';

export interface FakeUplink {
  url: string;
  requests: UplinkRequest[];
  /** How the uplink answers a request; a promise holds the answer until the test lets it go. */
  reply: (request: UplinkRequest) => UplinkReply | Promise<UplinkReply>;
  close(): Promise<void>;
}

/** An ingest that answers like the callable: stored (or a duplicate), by default. */
export async function fakeUplink(): Promise<FakeUplink> {
  const seen = new Set<string>();
  const uplink: FakeUplink = {
    url: '',
    requests: [],
    reply: (request) => {
      const reportId = (JSON.parse(request.body) as { data: { reportId?: string } }).data.reportId;
      if (!reportId)
        return { status: 400, body: JSON.stringify({ error: { status: 'INVALID_ARGUMENT', message: 'Invalid report. reportId: required' } }) };
      const duplicate = seen.has(`${request.key}/${reportId}`);
      seen.add(`${request.key}/${reportId}`);
      return { status: 200, body: JSON.stringify({ result: { accepted: true, duplicate, reportId, intervalSeconds: 120 } }) };
    },
    close: async () => undefined,
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The emitter drops a listener's promise: `void` says so.
    request.on('end', () => void answer());
    async function answer() {
      const received: UplinkRequest = { key: request.headers['x-vigil-key'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') };
      uplink.requests.push(received);
      const reply = await uplink.reply(received);
      if (reply === 'hang') return;
      if (reply === 'destroy') return request.socket.destroy();
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  uplink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/demo-vigil/us-central1/ingestReport`;
  uplink.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return uplink;
}

export interface TestRelay {
  server: RelayServer;
  port: number;
  endpoint: string;
  fingerprint: string;
  stateDir: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestRelay(uplinkUrl: string, overrides: Partial<RelayServerOptions> = {}): Promise<TestRelay> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'vigil-relay-'));
  const cert = await testCertificate();
  const logs: string[] = [];
  const server = await createRelayServer({
    cert: cert.cert,
    key: cert.key,
    stateDir,
    uplinkUrl,
    spoolLimits: { maxReports: 100, maxBytes: 10 * 1024 * 1024 },
    keyQuota: { maxReports: 100, maxBytes: 10 * 1024 * 1024 },
    rateLimit: { perMinute: 600, burst: 100 },
    secret: await loadOrCreateSecret(stateDir),
    log: createLogger('debug', (line) => logs.push(line)),
    version: '9.9.9-test',
    timeouts: { bodyMs: 1_000, headersMs: 2_000, handshakeMs: 2_000, uplinkMs: 2_000 },
    backoff: { baseMs: 200, capMs: 400, floorMs: 50 },
    ...overrides,
  });
  const port = await server.listen('127.0.0.1', 0);
  return {
    server,
    port,
    endpoint: `https://127.0.0.1:${port}/ingest`,
    fingerprint: cert.fingerprint,
    stateDir,
    logs,
    async close() {
      await server.close(100);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  json: { result?: Record<string, unknown>; error?: { status: string; message: string; details?: Record<string, unknown> } } & Record<
    string,
    unknown
  >;
}

/** POSTs a body to the relay as an agent does, over the pinned connection. */
export async function postToRelay(relay: TestRelay, key: string | undefined, body: string, route = '/ingest'): Promise<Answer> {
  const { status, json } = await postToRelayWithHeaders(relay, key, body, route);
  return { status, json };
}

/** postToRelay, with the answer's headers too. */
export async function postToRelayWithHeaders(
  relay: TestRelay,
  key: string | undefined,
  body: string,
  route = '/ingest',
): Promise<Answer & { headers: Headers }> {
  const response = await pinnedFetch(relay.fingerprint)(`https://127.0.0.1:${relay.port}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-vigil-key': key } : {}) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json()) as Answer['json'], headers: response.headers };
}

export function reportBody(reportId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ data: { reportId, ...extra } });
}

/**
 * A raw TLS client: sends `head` (and `body` if given) and resolves with whatever the relay answers
 * until it closes the connection (status line parsed), or 'closed' with no answer at all.
 */
export interface RawRequest {
  /** Resolves once the TLS handshake is done and the head and body are written to the socket. */
  sent: Promise<void>;
  /** Resolves when the relay closes the connection, with what it answered. */
  response: Promise<{ status: number | undefined; text: string; ms: number }>;
}

/** Sends bytes as they are, for requests no HTTP client would send (a body that never ends). */
export function openRawRequest(port: number, head: string, body = ''): RawRequest {
  const started = Date.now();
  let markSent = () => {};
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const response = new Promise<{ status: number | undefined; text: string; ms: number }>((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      socket.write(head);
      socket.write(body, () => markSent());
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      markSent();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : undefined, text, ms: Date.now() - started });
    });
  });
  return { sent, response };
}

export function rawRequest(port: number, head: string, body = ''): Promise<{ status: number | undefined; text: string; ms: number }> {
  return openRawRequest(port, head, body).response;
}
