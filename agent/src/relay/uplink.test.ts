// The uplink's drain over a real relay spool in a temp directory, with a fetch that answers as the
// ingest would; a restart is a new RelaySpool and Uplink over the same directory.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SEND_SPACING_MS } from '../delivery/pacing.js';
import { createLogger } from '../log.js';
import { RelaySpool } from './relay-spool.js';
import { Uplink } from './uplink.js';

const KEY = `vgl_aaaaaaaaaaaaaaaa_${'A'.repeat(43)}`;
const KEY_ID = 'aaaaaaaaaaaaaaaa';
const KEY_B = `vgl_bbbbbbbbbbbbbbbb_${'B'.repeat(43)}`;
const KEY_ID_B = 'bbbbbbbbbbbbbbbb';
const LIMITS = { maxReports: 100, maxBytes: 10 * 1024 * 1024 };
const secret = randomBytes(32);
let dir: string;
/** The uplink's clock: a drain pass sees only the time the test gives it. */
let clock: number;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-uplink-'));
  clock = 1_800_000_000_000;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const body = (reportId: string) => JSON.stringify({ data: { reportId, collectedAt: '2027-01-01T00:00:00.000Z' } });

/** A fetch answering as the ingest: `answer` picks the reply by reportId; every request body is kept, and when it came. */
function ingest(answer: (reportId: string) => 'ok' | 'rate-limited') {
  const sent: Array<Record<string, unknown>> = [];
  const sentAt: number[] = [];
  /** The ticket header of each request (null: none). */
  const tickets: Array<string | null> = [];
  const fetch = async (_input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const data = (JSON.parse(String(init.body)) as { data: Record<string, unknown> }).data;
    sent.push(data);
    sentAt.push(clock);
    tickets.push(new Headers(init.headers).get('x-vigil-ticket'));
    const ticket = `ticket-${String(data.reportId)}`;
    const reply =
      answer(String(data.reportId)) === 'ok'
        ? { status: 200, body: { result: { accepted: true, duplicate: false, reportId: data.reportId, intervalSeconds: 120, ticket } } }
        : { status: 429, body: { error: { status: 'RESOURCE_EXHAUSTED', message: 'slow', details: { retryAfterSeconds: 60 } } } };
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, sent, sentAt, tickets };
}

function uplinkOver(fetch: typeof globalThis.fetch) {
  const spool = new RelaySpool(path.join(dir, 'spool'), LIMITS, secret, LIMITS);
  const uplink = new Uplink({
    url: 'https://ingest.invalid/ingestReport',
    fetch,
    timeoutMs: 2_000,
    spool,
    log: createLogger('error', () => undefined),
    now: () => clock,
  });
  return { spool, uplink };
}

it('still sends as backfill, after a restart, a spooled report older than one delivered as the present', async () => {
  const first = uplinkOver(ingest(() => 'ok').fetch);
  await first.spool.add({ keyId: KEY_ID, reportId: 'report-older', key: KEY, body: body('report-older') });
  await first.spool.add({ keyId: KEY_ID, reportId: 'report-newer', key: KEY, body: body('report-newer') });
  first.uplink.close();

  // The newer one is stored as the present; the ingest slows the key down before the older one goes.
  const slowed = ingest((reportId) => (reportId === 'report-newer' ? 'ok' : 'rate-limited'));
  const before = uplinkOver(slowed.fetch);
  await before.uplink.drain();
  clock += SEND_SPACING_MS; // the key's next report waits out the pacing
  await before.uplink.drain();
  before.uplink.close();
  expect(slowed.sent.map((data) => [data.reportId, data.backfill])).toEqual([
    ['report-newer', undefined],
    ['report-older', true],
  ]);
  expect(await before.spool.status()).toMatchObject({ spooled: 1 });

  // Restarted: the older report is the only one of its key spooled, yet it is history, not the present.
  const up = ingest(() => 'ok');
  const after = uplinkOver(up.fetch);
  await after.uplink.drain();
  after.uplink.close();
  expect(up.sent).toEqual([{ reportId: 'report-older', collectedAt: '2027-01-01T00:00:00.000Z', backfill: true }]);
  expect(await after.spool.status()).toMatchObject({ spooled: 0 });
});

it('paces each key on its own, never the relay as a whole: one report per key per spacing, newest first', async () => {
  const up = ingest(() => 'ok');
  const { spool, uplink } = uplinkOver(up.fetch);
  for (const round of [1, 2, 3]) {
    await spool.add({ keyId: KEY_ID, reportId: `report-a${round}`, key: KEY, body: body(`report-a${round}`) });
    await spool.add({ keyId: KEY_ID_B, reportId: `report-b${round}`, key: KEY_B, body: body(`report-b${round}`) });
  }
  const started = clock;
  const sentNow = () => up.sent.map((data, index) => [data.reportId, data.backfill ?? false, up.sentAt[index]! - started]);

  // One pass: each key's newest at once, both in the same instant; the others wait for their key.
  await uplink.drain();
  expect(sentNow()).toEqual([
    ['report-b3', false, 0],
    ['report-a3', false, 0],
  ]);
  await uplink.drain();
  expect(up.sent).toHaveLength(2); // no time has passed: nothing more

  clock += SEND_SPACING_MS;
  await uplink.drain();
  clock += SEND_SPACING_MS;
  await uplink.drain();
  uplink.close();
  expect(sentNow()).toEqual([
    ['report-b3', false, 0],
    ['report-a3', false, 0],
    ['report-b2', true, SEND_SPACING_MS],
    ['report-a2', true, SEND_SPACING_MS],
    ['report-b1', true, 2 * SEND_SPACING_MS],
    ['report-a1', true, 2 * SEND_SPACING_MS],
  ]);
  expect(await spool.status()).toMatchObject({ spooled: 0 });
});

it('passes an agent’s ticket through, and sends each key’s latest ticket with what it sends from the spool', async () => {
  const up = ingest(() => 'ok');
  const { spool, uplink } = uplinkOver(up.fetch);
  // Live: the agent's own ticket goes up as it came; the answer's is kept for the key.
  await uplink.forward(KEY, KEY_ID, body('report-live'), true, undefined, 'ticket-from-the-agent');
  // Spooled reports of that key go with the latest ticket its answers carried, each answer's in turn.
  await spool.add({ keyId: KEY_ID, reportId: 'report-s1', key: KEY, body: body('report-s1') });
  await spool.add({ keyId: KEY_ID_B, reportId: 'report-b1', key: KEY_B, body: body('report-b1') });
  await uplink.drain(); // report-b1 at once; report-s1 waits out its key's pacing
  clock += SEND_SPACING_MS;
  await uplink.drain();
  // A live report without a ticket (its agent's last answer was the relay's own) gets the key's latest.
  clock += SEND_SPACING_MS;
  await uplink.forward(KEY, KEY_ID, body('report-live2'), true);
  uplink.close();
  expect(up.sent.map((data) => data.reportId)).toEqual(['report-live', 'report-b1', 'report-s1', 'report-live2']);
  expect(up.tickets).toEqual(['ticket-from-the-agent', null, 'ticket-report-live', 'ticket-report-s1']);
});
