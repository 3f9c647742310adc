// The relay's request handling, in process: a relay on a free port with a real self-signed
// certificate, a fake uplink that answers as the test scripts, agents' real Delivery pinned to it.
import type { ReportInput } from '@vigil/schema';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { createDelivery } from '../delivery/delivery.js';
import { createLogger } from '../log.js';
import { denyKeyId, allowKeyId, EMPTY_ACCESS_LIST, writeAccessList } from './access-list.js';
import { MAX_BODY_BYTES, REFUSED_KEY_MESSAGE } from './relay-server.js';
import {
  fakeUplink,
  KEY_A,
  KEY_B,
  postToRelay,
  postToRelayWithHeaders,
  openRawRequest,
  rawRequest,
  reportBody,
  startTestRelay,
  testCertificate,
  type FakeUplink,
  type TestRelay,
} from '../../test/support/relay.js';

let uplink: FakeUplink;
let relay: TestRelay;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  await testCertificate();
}, 60_000);

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setUp(overrides: Parameters<typeof startTestRelay>[1] = {}) {
  uplink = await fakeUplink();
  relay = await startTestRelay(uplink.url, overrides);
  cleanups.push(
    () => uplink.close(),
    () => relay.close(),
  );
}

function spooledFiles(): Promise<string[]> {
  return readdir(path.join(relay.stateDir, 'spool')).then((names) => names.filter((name) => /^\d{16}-.*\.json$/.test(name)));
}

describe('the relay forwards', () => {
  it('each report with its own key, and relays the ingest answer as it is', async () => {
    await setUp();
    const first = await postToRelay(relay, KEY_A, reportBody('report-a1'));
    expect(first).toEqual({ status: 200, json: { result: { accepted: true, duplicate: false, reportId: 'report-a1', intervalSeconds: 120 } } });
    await postToRelay(relay, KEY_B, reportBody('report-b1'));
    expect(uplink.requests).toEqual([
      { key: KEY_A, body: reportBody('report-a1') },
      { key: KEY_B, body: reportBody('report-b1') },
    ]);
    // The ingest's refusals come back unchanged: the cloud is where keys are checked.
    const refusal = { error: { status: 'UNAUTHENTICATED', message: 'The agent key is missing, unknown or revoked.' } };
    uplink.reply = () => ({ status: 401, body: JSON.stringify(refusal) });
    expect(await postToRelay(relay, KEY_A, reportBody('report-a2'))).toEqual({ status: 401, json: refusal });
    const invalid = { error: { status: 'INVALID_ARGUMENT', message: 'Invalid report. host: required', details: { issues: [] } } };
    uplink.reply = () => ({ status: 400, body: JSON.stringify(invalid) });
    expect(await postToRelay(relay, KEY_A, reportBody('report-a3'))).toEqual({ status: 400, json: invalid });
    expect(await relay.server.health()).toEqual({ ok: true, uplink: 'reachable', spooled: 0, dropped: 0, version: '9.9.9-test' });
    expect(relay.logs.join('\n')).not.toContain('AAAAAAAAAAAAAAAAAAAA');
  });

  it('for an agent Delivery pinned to its certificate, and for no agent with another pin', async () => {
    await setUp();
    const log = createLogger('debug', () => undefined);
    const report: ReportInput = { ...validReport(), reportId: 'report-pinned' };
    const config = { endpoint: relay.endpoint, key: KEY_A, maxSpooledReports: 10, maxSpoolBytes: 1024 * 1024, requestTimeoutMs: 5_000 };
    const good = createDelivery({ ...config, spoolDir: path.join(relay.stateDir, 'agent-good'), pinnedFingerprint: relay.fingerprint }, { log });
    expect(await good.submit(report)).toMatchObject({ delivered: ['report-pinned'], spooled: 0, intervalSeconds: 120 });
    expect(await good.probe()).toMatchObject({ reachable: true });

    const impostor = createDelivery({ ...config, spoolDir: path.join(relay.stateDir, 'agent-bad'), pinnedFingerprint: 'ab'.repeat(32) }, { log });
    const outcome = await impostor.submit({ ...report, reportId: 'report-not-sent' });
    expect(outcome).toMatchObject({
      delivered: [],
      spooled: 1,
      error: { kind: 'network', message: expect.stringContaining('does not match relay_fingerprint') },
    });
    expect(uplink.requests.map((request) => JSON.parse(request.body).data.reportId)).not.toContain('report-not-sent');
  });
});

describe('the relay refuses', () => {
  it('malformed, denied and unlisted keys, without forwarding them', async () => {
    await setUp();
    const refused = { status: 401, json: { error: { status: 'UNAUTHENTICATED', message: REFUSED_KEY_MESSAGE } } };
    expect(await postToRelay(relay, undefined, reportBody('report-x1'))).toEqual(refused);
    expect(await postToRelay(relay, 'vgl_short_secret', reportBody('report-x2'))).toEqual(refused);
    await writeAccessList(relay.stateDir, denyKeyId(EMPTY_ACCESS_LIST, 'bbbbbbbbbbbbbbbb'));
    expect(await postToRelay(relay, KEY_B, reportBody('report-x3'))).toEqual(refused);
    expect((await postToRelay(relay, KEY_A, reportBody('report-a1'))).status).toBe(200);
    // Once something is allowed, only what is allowed passes.
    await writeAccessList(relay.stateDir, allowKeyId(EMPTY_ACCESS_LIST, 'cccccccccccccccc'));
    expect(await postToRelay(relay, KEY_A, reportBody('report-a2'))).toEqual(refused);
    expect(uplink.requests.map((request) => request.key)).toEqual([KEY_A]);
  });

  it('garbage, bodies that are not {"data": …}, and oversized requests, reading no more than the limit', async () => {
    await setUp();
    expect(await postToRelay(relay, KEY_A, 'this is not json')).toEqual({
      status: 400,
      json: { error: { status: 'INVALID_ARGUMENT', message: 'The request body is not JSON.' } },
    });
    expect((await postToRelay(relay, KEY_A, '{"report": {}}')).json.error?.status).toBe('INVALID_ARGUMENT');
    // Declared too large: answered at once, before a byte of the body is sent.
    const declared = await rawRequest(
      relay.port,
      `POST /ingest HTTP/1.1\r\nHost: relay\r\nX-Vigil-Key: ${KEY_A}\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`,
    );
    expect(declared.status).toBe(413);
    expect(declared.text).toContain('"status":"INVALID_ARGUMENT"');
    // Chunked, with no length given: cut off when it passes the limit.
    const chunk = 'x'.repeat(64 * 1024);
    const chunked = await rawRequest(
      relay.port,
      `POST /ingest HTTP/1.1\r\nHost: relay\r\nX-Vigil-Key: ${KEY_A}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(6),
    );
    expect(chunked.status).toBe(413);
    expect(uplink.requests).toEqual([]);
  });

  it('a client that sends too fast, with the callable error and a retry hint', async () => {
    await setUp({ rateLimit: { perMinute: 6, burst: 2 } });
    expect((await postToRelay(relay, KEY_A, reportBody('report-r1'))).status).toBe(200);
    expect((await postToRelay(relay, KEY_A, reportBody('report-r2'))).status).toBe(200);
    expect(await postToRelay(relay, KEY_A, reportBody('report-r3'))).toEqual({
      status: 429,
      json: {
        error: { status: 'RESOURCE_EXHAUSTED', message: 'Too many requests from this address; retry in 10 s.', details: { retryAfterSeconds: 10 } },
      },
    });
    expect(uplink.requests).toHaveLength(2);
  });

  it('a client that never finishes its request, while another is served at once', async () => {
    await setUp();
    const slow = openRawRequest(
      relay.port,
      `POST /ingest HTTP/1.1\r\nHost: relay\r\nX-Vigil-Key: ${KEY_A}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      '{"data": {"rep',
    );
    // The slow client holds its connection open before the fast one asks.
    await slow.sent;
    const started = Date.now();
    expect((await postToRelay(relay, KEY_B, reportBody('report-fast'))).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    const cut = await slow.response;
    expect(cut.status).toBe(408);
    expect(cut.text).toContain('"status":"DEADLINE_EXCEEDED"');
    expect(cut.ms).toBeGreaterThanOrEqual(1_000);
    expect(cut.ms).toBeLessThan(5_000);
  });
});

describe('when the uplink is down', () => {
  it('spools with the key sealed, answers the agent that it is taken care of, and delivers later, each key newest first', async () => {
    await setUp();
    const replyWhenUp = uplink.reply;
    uplink.reply = () => 'destroy';
    const answer = await postToRelay(relay, KEY_A, reportBody('report-s1'));
    expect(answer).toEqual({
      status: 200,
      json: { result: { accepted: true, duplicate: false, reportId: 'report-s1', intervalSeconds: 300, relayed: 'spooled' } },
    });
    uplink.reply = () => ({ status: 503, body: 'Service Unavailable' });
    // While it backs off the relay does not even try: straight to the spool.
    const tried = uplink.requests.length;
    expect((await postToRelay(relay, KEY_B, reportBody('report-s2'))).json.result?.relayed).toBe('spooled');
    expect((await postToRelay(relay, KEY_A, reportBody('report-s3'))).json.result?.relayed).toBe('spooled');
    // The agent sends the same report again (it did not hear the answer): still one copy.
    expect((await postToRelay(relay, KEY_A, reportBody('report-s3'))).json.result?.relayed).toBe('spooled');
    expect(uplink.requests.length - tried).toBeLessThanOrEqual(3);
    expect(await spooledFiles()).toHaveLength(3);
    for (const file of await spooledFiles()) {
      const text = await readFile(path.join(relay.stateDir, 'spool', file), 'utf8');
      expect(text).not.toContain(KEY_A.slice(21));
      expect(text).not.toContain(KEY_B.slice(21));
    }
    // A request the relay cannot keep (no reportId: the doctor's probe) is not acknowledged.
    expect((await postToRelay(relay, KEY_A, '{"data": {"probe": true}}')).json.error?.status).toBe('UNAVAILABLE');
    expect(await relay.server.health()).toMatchObject({ ok: true, uplink: 'unreachable', spooled: 3, dropped: 0 });

    uplink.requests.length = 0;
    uplink.reply = replyWhenUp;
    await vi.waitFor(async () => expect(await relay.server.health()).toMatchObject({ uplink: 'reachable', spooled: 0 }), {
      timeout: 10_000,
      interval: 100,
    });
    // Each agent's newest report first, as its present; its older ones after it, as backfill.
    expect(uplink.requests).toEqual([
      { key: KEY_A, body: reportBody('report-s3') },
      { key: KEY_B, body: reportBody('report-s2') },
      { key: KEY_A, body: reportBody('report-s1', { backfill: true }) },
    ]);
  });

  it('sends as backfill every spooled report older than one that reached the ingest as the present', async () => {
    await setUp();
    const replyWhenUp = uplink.reply;
    uplink.reply = () => 'destroy';
    await postToRelay(relay, KEY_A, reportBody('report-o1'));
    await postToRelay(relay, KEY_A, reportBody('report-o2'));
    // The ingest is back, but holds its answer to the relay's drain (a 429 in the end) until the
    // agent's present has gone through directly: o1 and o2 are still spooled when o3 is stored.
    let releaseDrainAnswer!: () => void;
    const drainAnswerHeld = new Promise<void>((resolve) => (releaseDrainAnswer = resolve));
    let drainAnswers = 0;
    uplink.reply = async (request) => {
      const { reportId } = JSON.parse(request.body).data as { reportId: string };
      if (reportId === 'report-o3' || drainAnswers++ > 0) return replyWhenUp(request);
      await drainAnswerHeld;
      return { status: 429, body: JSON.stringify({ error: { status: 'RESOURCE_EXHAUSTED', message: 'slow', details: { retryAfterSeconds: 1 } } }) };
    };
    uplink.requests.length = 0;
    await vi.waitFor(() => expect(uplink.requests.length).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    // The relay forwards the agent's report (and does not spool it) once its backoff after the outage is over.
    await vi.waitFor(() => expect(relay.server.uplink.backingOff).toBe(false), { timeout: 10_000, interval: 50 });
    const direct = await postToRelay(relay, KEY_A, reportBody('report-o3'));
    expect(direct.status).toBe(200);
    expect(direct.json.result?.relayed).toBeUndefined();
    releaseDrainAnswer();
    await vi.waitFor(async () => expect(await relay.server.health()).toMatchObject({ spooled: 0 }), { timeout: 10_000, interval: 100 });
    const sent = uplink.requests.map((request) => JSON.parse(request.body).data as { reportId: string; backfill?: boolean });
    expect(sent).toEqual([
      { reportId: 'report-o2' }, // the drain's first try, before o3 was stored: the present then
      { reportId: 'report-o3' },
      { reportId: 'report-o2', backfill: true },
      { reportId: 'report-o1', backfill: true },
    ]);
  });

  it('waits the Retry-After the ingest gave a key, even in a pass that comes sooner for another key', async () => {
    await setUp();
    const replyWhenUp = uplink.reply;
    uplink.reply = () => 'destroy';
    await postToRelay(relay, KEY_B, reportBody('report-w1'));
    await postToRelay(relay, KEY_A, reportBody('report-w2'));
    // Back: A is slowed down for a minute; B's first try is lost, so the relay tries again after its backoff.
    let triesOfB = 0;
    uplink.reply = (request) => {
      if (request.key === KEY_A) {
        return {
          status: 429,
          body: JSON.stringify({ error: { status: 'RESOURCE_EXHAUSTED', message: 'slow', details: { retryAfterSeconds: 60 } } }),
        };
      }
      return triesOfB++ === 0 ? 'destroy' : replyWhenUp(request);
    };
    uplink.requests.length = 0;
    await vi.waitFor(async () => expect(await relay.server.health()).toMatchObject({ uplink: 'reachable', spooled: 1 }), {
      timeout: 10_000,
      interval: 50,
    });
    const sent = uplink.requests.map((request) => [request.key, JSON.parse(request.body).data.reportId]);
    expect(sent).toEqual([
      [KEY_A, 'report-w2'],
      [KEY_B, 'report-w1'],
      [KEY_B, 'report-w1'],
    ]);
  });

  it('drops a spooled report the ingest refuses later, and counts it; waits for a key the ingest slows down', async () => {
    await setUp();
    uplink.reply = () => 'destroy';
    await postToRelay(relay, KEY_A, reportBody('report-d1'));
    await postToRelay(relay, KEY_B, reportBody('report-d2'));
    await postToRelay(relay, KEY_B, reportBody('report-d3'));
    // Only the drain's requests count: a post made after the first failure's backoff was forwarded (and lost) too.
    uplink.requests.length = 0;
    let limited = 0;
    uplink.reply = (request) => {
      if (request.key === KEY_A) return { status: 401, body: JSON.stringify({ error: { status: 'UNAUTHENTICATED', message: 'revoked' } }) };
      limited += 1;
      if (limited === 1)
        return { status: 429, body: JSON.stringify({ error: { status: 'RESOURCE_EXHAUSTED', message: 'slow', details: { retryAfterSeconds: 1 } } }) };
      const reportId = (JSON.parse(request.body) as { data: { reportId: string } }).data.reportId;
      return { status: 200, body: JSON.stringify({ result: { accepted: true, duplicate: false, reportId, intervalSeconds: 60 } }) };
    };
    await vi.waitFor(async () => expect(await relay.server.health()).toMatchObject({ spooled: 0, dropped: 1 }), { timeout: 10_000, interval: 100 });
    // B's older report waited for B's newest, which waited the second the ingest asked for.
    const bodiesOfB = uplink.requests.filter((request) => request.key === KEY_B).map((request) => JSON.parse(request.body).data.reportId);
    expect(bodiesOfB).toEqual(['report-d3', 'report-d3', 'report-d2']);
    expect(relay.logs.join('\n')).toContain('the ingest refused a report the relay had spooled; it is dropped');
  });

  it('refuses new reports when its spool is full, with a retry hint, and never drops the ones it acknowledged', async () => {
    await setUp({ spoolLimits: { maxReports: 2, maxBytes: 10 * 1024 * 1024 } });
    const replyWhenUp = uplink.reply;
    uplink.reply = () => 'destroy';
    expect((await postToRelay(relay, KEY_A, reportBody('report-f1'))).json.result?.relayed).toBe('spooled');
    expect((await postToRelay(relay, KEY_B, reportBody('report-f2'))).json.result?.relayed).toBe('spooled');
    // Junk from anyone who reaches the relay, under a made-up key id: refused, and the agent keeps its report.
    const junk = `vgl_cccccccccccccccc_${'C'.repeat(43)}`;
    const refused = await postToRelayWithHeaders(relay, junk, reportBody('report-junk'));
    expect(refused.status).toBe(503);
    expect(refused.json.error?.status).toBe('UNAVAILABLE');
    expect(refused.json.error?.message).toContain('spool is full');
    const hint = Number(refused.headers.get('retry-after'));
    expect(hint).toBeGreaterThanOrEqual(1);
    expect(refused.json.error?.details?.retryAfterSeconds).toBe(hint);
    expect(await relay.server.health()).toMatchObject({ spooled: 2, dropped: 0 });

    // The acknowledged reports reach the ingest once it is back; the refused one never was the relay's.
    uplink.requests.length = 0;
    uplink.reply = replyWhenUp;
    await vi.waitFor(async () => expect(await relay.server.health()).toMatchObject({ uplink: 'reachable', spooled: 0, dropped: 0 }), {
      timeout: 10_000,
      interval: 100,
    });
    expect(uplink.requests.map((request) => JSON.parse(request.body).data.reportId).sort()).toEqual(['report-f1', 'report-f2']);
  });

  it('holds at most its quota for one key id, refusing the rest with a retry hint while other keys still spool', async () => {
    await setUp({ keyQuota: { maxReports: 2, maxBytes: 10 * 1024 * 1024 } });
    uplink.reply = () => 'destroy';
    await postToRelay(relay, KEY_A, reportBody('report-q1'));
    await postToRelay(relay, KEY_A, reportBody('report-q2'));
    const over = await postToRelayWithHeaders(relay, KEY_A, reportBody('report-q3'));
    expect(over.status).toBe(429);
    expect(over.json.error?.status).toBe('RESOURCE_EXHAUSTED');
    expect(over.json.error?.message).toContain('this key');
    expect(Number(over.headers.get('retry-after'))).toBe(over.json.error?.details?.retryAfterSeconds);
    // The same report again is a duplicate, not one more.
    expect((await postToRelay(relay, KEY_A, reportBody('report-q2'))).json.result?.relayed).toBe('spooled');
    expect((await postToRelay(relay, KEY_B, reportBody('report-q4'))).json.result?.relayed).toBe('spooled');
    expect(await relay.server.health()).toMatchObject({ spooled: 3, dropped: 0 });
  });

  it('holds at most its byte quota for one key id', async () => {
    await setUp({ keyQuota: { maxReports: 100, maxBytes: 300 * 1024 } });
    uplink.reply = () => 'destroy';
    const padding = 'x'.repeat(200 * 1024);
    expect((await postToRelay(relay, KEY_A, reportBody('report-b1', { padding }))).json.result?.relayed).toBe('spooled');
    expect((await postToRelay(relay, KEY_A, reportBody('report-b2', { padding }))).status).toBe(429);
    expect((await postToRelay(relay, KEY_B, reportBody('report-b3', { padding }))).json.result?.relayed).toBe('spooled');
  });

  it('spools when the uplink does not answer in time', async () => {
    await setUp({ timeouts: { bodyMs: 1_000, headersMs: 2_000, handshakeMs: 2_000, uplinkMs: 300 } });
    uplink.reply = () => 'hang';
    expect((await postToRelay(relay, KEY_A, reportBody('report-h1'))).json.result?.relayed).toBe('spooled');
    expect(await relay.server.health()).toMatchObject({ uplink: 'unreachable', spooled: 1 });
  });
});

describe('GET /healthz', () => {
  it('says how the relay and its uplink are', async () => {
    await setUp();
    const response = await rawRequest(relay.port, 'GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text.split('\r\n\r\n')[1]!)).toEqual({ ok: true, uplink: 'unknown', spooled: 0, dropped: 0, version: '9.9.9-test' });
    expect((await rawRequest(relay.port, 'GET /other HTTP/1.1\r\nHost: relay\r\n\r\n')).status).toBe(404);
  });
});
