// The relay's /agent-bundle, in process: a relay with a real certificate, a fake uplink whose
// ingest answers carry (or not) an update offer, and a "dashboard" serving the bundle on loopback.
import { RELAY_BUNDLE_PATH } from '@vigil/schema';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pinnedFetch } from '../delivery/pinned-fetch.js';
import { createLogger } from '../log.js';
import { fakeUplink, KEY_A, startTestRelay, testCertificate, type FakeUplink, type TestRelay } from '../../test/support/relay.js';
import { BundleForwarder, NO_OFFER_MESSAGE, offerOf } from './bundle-forward.js';

const BUNDLE = Buffer.from(`#!/usr/bin/env node\nconsole.log('vigil-agent 9.9.10');\n${'// padding\n'.repeat(20_000)}`);
const SHA256 = createHash('sha256').update(BUNDLE).digest('hex');

interface Dashboard {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves BUNDLE at /vigil-agent.mjs, 404 elsewhere; `chunked`: without a Content-Length. */
async function dashboard(options: { chunked?: boolean } = {}): Promise<Dashboard> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url !== '/vigil-agent.mjs') return response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': 'text/javascript', ...(options.chunked ? {} : { 'content-length': String(BUNDLE.length) }) });
    response.end(BUNDLE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let up: FakeUplink;
let site: Dashboard;
let relay: TestRelay;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  await testCertificate();
}, 60_000);
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A relay whose uplink's answers offer `offer` (undefined: none). */
async function setUp(offer: () => Record<string, string> | undefined) {
  site = await dashboard();
  up = await fakeUplink();
  up.reply = (request) => {
    const reportId = (JSON.parse(request.body) as { data: { reportId: string } }).data.reportId;
    const update = offer();
    return {
      status: 200,
      body: JSON.stringify({ result: { accepted: true, duplicate: false, reportId, intervalSeconds: 120, ...(update ? { update } : {}) } }),
    };
  };
  relay = await startTestRelay(up.url);
  cleanups.push(
    () => site.close(),
    () => up.close(),
    () => relay.close(),
  );
}

const fetchRelay = () => pinnedFetch(relay.fingerprint);

async function report(reportId: string) {
  const response = await fetchRelay()(relay.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vigil-key': KEY_A },
    body: JSON.stringify({ data: { reportId } }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json()) as { result?: { update?: unknown } } };
}

async function download(pathAndQuery = RELAY_BUNDLE_PATH) {
  const response = await fetchRelay()(`https://127.0.0.1:${relay.port}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

describe('the relay serves the offered agent bundle', () => {
  it('404 with a clear message before any offer; then the bytes of the newest offer, from its URL only', async () => {
    let offer: Record<string, string> | undefined;
    await setUp(() => offer);
    const none = await download();
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body.toString('utf8'))).toEqual({ error: { status: 'NOT_FOUND', message: NO_OFFER_MESSAGE } });
    // An answer without an offer teaches it nothing.
    expect((await report('r-1')).status).toBe(200);
    expect((await download()).status).toBe(404);

    offer = { version: '9.9.10', sha256: SHA256, url: `${site.url}/vigil-agent.mjs` };
    // The agent hears the offer as the ingest gave it.
    expect((await report('r-2')).json.result?.update).toEqual(offer);
    const served = await download();
    expect(served.status).toBe(200);
    expect(createHash('sha256').update(served.body).digest('hex')).toBe(SHA256);
    // A client cannot name another URL: the query is not the relay's business.
    const named = await download(`${RELAY_BUNDLE_PATH}?url=${encodeURIComponent(`${site.url}/elsewhere`)}`);
    expect(named.status).toBe(200);
    expect(site.requests).toEqual(['/vigil-agent.mjs', '/vigil-agent.mjs']);
    // A later answer without an offer keeps the last one (the agent that reported is up to date).
    offer = undefined;
    await report('r-3');
    expect((await download()).status).toBe(200);
    expect(relay.logs.join('\n')).toContain('served the agent bundle');
  });

  it('502 when the offered URL does not serve it; POST is refused', async () => {
    await setUp(() => ({ version: '9.9.10', sha256: SHA256, url: `${site.url}/gone.mjs` }));
    await report('r-1');
    const missing = await download();
    expect(missing.status).toBe(502);
    expect(missing.body.toString('utf8')).toContain('the dashboard answered HTTP 404');
    const posted = await fetchRelay()(`https://127.0.0.1:${relay.port}${RELAY_BUNDLE_PATH}`, { method: 'POST', body: '{}' });
    expect(posted.status).toBe(405);
  });
});

describe('BundleForwarder', () => {
  const log = createLogger('error', () => undefined);

  it('takes offers only from a 200 answer with a well-formed update, and only https or loopback http URLs', () => {
    const good = { version: '1.2.3', sha256: SHA256, url: 'https://vigil.example.com/vigil-agent.mjs' };
    expect(offerOf(200, JSON.stringify({ result: { update: good } }))).toEqual(good);
    expect(offerOf(429, JSON.stringify({ result: { update: good } }))).toBeUndefined();
    expect(offerOf(200, JSON.stringify({ result: { update: { ...good, sha256: 'abc' } } }))).toBeUndefined();
    expect(offerOf(200, 'not json')).toBeUndefined();

    const forwarder = new BundleForwarder({ fetch, log, allowInsecureHttp: false });
    forwarder.noteAnswer(200, JSON.stringify({ result: { update: { ...good, url: 'http://vigil.example.com/vigil-agent.mjs' } } }));
    forwarder.noteAnswer(200, JSON.stringify({ result: { update: { ...good, url: 'file:///etc/passwd' } } }));
    forwarder.noteAnswer(200, JSON.stringify({ result: { update: { ...good, url: 'https://user:pw@vigil.example.com/x' } } }));
    expect(forwarder.current).toBeUndefined();
    forwarder.noteAnswer(200, JSON.stringify({ result: { update: good } }));
    expect(forwarder.current).toEqual(good);
  });

  it('refuses a bundle over its cap before sending a byte, and cuts one without a length once past it', async () => {
    for (const chunked of [false, true]) {
      const served = await dashboard({ chunked });
      cleanups.push(() => served.close());
      const forwarder = new BundleForwarder({ fetch, log, allowInsecureHttp: false, maxBytes: 1024 });
      forwarder.noteAnswer(200, JSON.stringify({ result: { update: { version: '1.2.3', sha256: SHA256, url: `${served.url}/vigil-agent.mjs` } } }));
      const server = http.createServer((_request, response) => {
        void forwarder.serve(response, 'test').then((refused) => refused && response.writeHead(refused.status).end(refused.body));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      if (!chunked) {
        const response = await fetch(url);
        expect(response.status).toBe(502);
        expect(await response.text()).toContain(`more than 1024`);
      } else {
        // The status went out with the first bytes: the body is cut off, never completed.
        await expect(fetch(url).then((response) => response.arrayBuffer())).rejects.toThrow();
      }
    }
  });
});
