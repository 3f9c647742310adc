import type { ReportInput } from '@vigil/schema';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { createDelivery, type DeliveryConfig, type DeliveryDeps } from './delivery.js';
import { SEND_SPACING_MS } from './pacing.js';

const SECRET = 'Zq9xSECRETsecretSECRETsecretSECRETsecret-_0';
const KEY = `vgl_abcdefghijklmnop_${SECRET}`;
const ENDPOINT = 'https://us-central1-demo-vigil.cloudfunctions.net/ingestReport';

type Behaviour = 'up' | 'down' | 'hang' | 'internal' | 'not-found' | 'rate-limited';

/** An ingest in memory that behaves like functions/src/ingest/ingest-report.ts: key first, then payload. */
function fakeIngest(acceptedKey = KEY) {
  const stored = new Set<string>();
  /** Every request, with the test clock's time when it arrived (`at`). */
  const requests: Array<{
    url: string;
    method?: string;
    headers: Headers;
    body: { data: { reportId?: string } & Record<string, unknown> };
    at: number;
  }> = [];
  const state = {
    behaviour: 'up' as Behaviour,
    acceptedKey,
    refuse: new Set<string>(),
    retryAfterSeconds: 30,
    /** Extra text the server puts in its error messages (to prove we redact what comes back). */
    echo: '',
    /** Replies carry a ticket, as the ingest's do. */
    tickets: true,
  };
  const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fail = (status: number, code: string, message: string, details?: unknown) => reply(status, { error: { status: code, message, details } });

  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const body = JSON.parse(String(init.body)) as (typeof requests)[number]['body'];
    requests.push({ url: String(input), method: init.method, headers, body, at: clock });
    switch (state.behaviour) {
      case 'down':
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5001'), { code: 'ECONNREFUSED' }) });
      case 'hang':
        return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      case 'internal':
        return fail(500, 'INTERNAL', `INTERNAL${state.echo}`);
      case 'not-found':
        return new Response('Function us-central1-ingestReport does not exist', { status: 404 });
      case 'rate-limited':
        return fail(429, 'RESOURCE_EXHAUSTED', 'Reporting much faster than every 300 s.', { retryAfterSeconds: state.retryAfterSeconds });
      case 'up':
        break;
    }
    if (headers.get('x-vigil-key') !== state.acceptedKey)
      return fail(401, 'UNAUTHENTICATED', `The agent key is missing, unknown or revoked.${state.echo}`);
    const reportId = body.data.reportId;
    if (typeof reportId !== 'string' || state.refuse.has(reportId)) {
      return fail(400, 'INVALID_ARGUMENT', 'Invalid report. solutions.0.id: must be lower-case', {
        issues: [{ path: 'solutions.0.id', message: 'x' }],
      });
    }
    const duplicate = stored.has(reportId);
    stored.add(reportId);
    // A ticket like the ingest's (opaque): this one names the report whose reply carried it.
    return reply(200, {
      result: { accepted: true, duplicate, reportId, intervalSeconds: 120, ...(state.tickets ? { ticket: `ticket-${reportId}` } : {}) },
    });
  };
  /** reportIds in the order the server saw them (probes excluded). */
  const sent = () => requests.map((request) => request.body.data.reportId).filter((id): id is string => typeof id === 'string');
  return { fetch: fetch as typeof globalThis.fetch, state, stored, requests, sent };
}

let counter = 0;
function report(overrides: Partial<ReportInput> = {}): ReportInput {
  counter += 1;
  return {
    reportId: `r-test-${String(counter).padStart(6, '0')}`,
    agentVersion: '0.1.0',
    host: { hostname: 'web-1' },
    collectedAt: new Date(1_800_000_000_000 + counter * 1000).toISOString(),
    solutions: [],
    ...overrides,
  };
}

let dir: string;
let spoolDir: string;
let clock: number;
let logLines: string[];
/** Every pacing wait the delivery asked for; each moves the test clock on by its length. */
let sleeps: number[];
const fakeSleep = async (ms: number) => {
  sleeps.push(ms);
  clock += ms;
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-delivery-'));
  spoolDir = path.join(dir, 'var', 'lib', 'vigil', 'spool');
  clock = 1_800_000_000_000;
  logLines = [];
  sleeps = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(options: { config?: Partial<DeliveryConfig>; ingest?: ReturnType<typeof fakeIngest>; random?: () => number } = {}) {
  const ingest = options.ingest ?? fakeIngest();
  const config: DeliveryConfig = {
    endpoint: ENDPOINT,
    key: KEY,
    spoolDir,
    maxSpooledReports: 100,
    maxSpoolBytes: 10 * 1024 * 1024,
    requestTimeoutMs: 5_000,
    ...options.config,
  };
  const deps: DeliveryDeps = {
    log: createLogger('debug', (line) => logLines.push(line)),
    fetch: ingest.fetch,
    now: () => clock,
    random: options.random ?? (() => 0.5),
    sleep: fakeSleep,
  };
  return { delivery: createDelivery(config, deps), ingest, config };
}

const spoolFiles = async () => (await readdir(spoolDir)).filter((name) => name.endsWith('.json') && name !== 'state.json').sort();
const logged = () => logLines.map((line) => JSON.parse(line) as { level: string; message: string } & Record<string, unknown>);

describe('sending', () => {
  it('speaks the callable protocol with the key in its own header', async () => {
    const { delivery, ingest } = setup();
    const sent = report();
    const outcome = await delivery.submit(sent);

    expect(outcome).toEqual({ delivered: [sent.reportId], spooled: 0, dropped: 0, intervalSeconds: 120 });
    expect(ingest.requests).toHaveLength(1);
    const [request] = ingest.requests;
    expect(request?.url).toBe(ENDPOINT);
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.headers.get('x-vigil-key')).toBe(KEY);
    expect(request?.headers.has('authorization')).toBe(false);
    expect(request?.body).toEqual({ data: sent });
    expect(delivery.nextRetryDelayMs()).toBe(0);
    expect(await spoolFiles()).toEqual([]);
  });

  it('counts a report the server already had as delivered', async () => {
    const { delivery, ingest } = setup();
    const sent = report();
    ingest.stored.add(sent.reportId);
    expect((await delivery.submit(sent)).delivered).toEqual([sent.reportId]);
    expect(await spoolFiles()).toEqual([]);
  });
});

describe('the ticket', () => {
  const ticketsSent = (ingest: ReturnType<typeof fakeIngest>) => ingest.requests.map((request) => request.headers.get('x-vigil-ticket'));

  it('sends each reply’s ticket with the next report, backfill included, and none with the probe', async () => {
    const { delivery, ingest } = setup();
    const first = report();
    await delivery.submit(first);
    ingest.state.behaviour = 'down';
    const spooled = [report(), report()];
    for (const sent of spooled) await delivery.submit(sent);
    ingest.state.behaviour = 'up';
    const present = report();
    await delivery.submit(present);
    await delivery.probe();
    // The first report has none; the two sent while down carried the first's; after the outage the
    // present, then the backfill newest to oldest, each with the ticket of the reply before it.
    expect(ticketsSent(ingest)).toEqual([
      null,
      `ticket-${first.reportId}`,
      `ticket-${first.reportId}`,
      `ticket-${first.reportId}`,
      `ticket-${present.reportId}`,
      `ticket-${spooled[1]!.reportId}`,
      null,
    ]);
    expect(ingest.sent()).toEqual([first, ...spooled, present, spooled[1]!, spooled[0]!].map((sent) => sent.reportId));
  });

  it('drops the ticket when the key is refused, and when a reply carries none', async () => {
    const { delivery, ingest } = setup();
    await delivery.submit(report());
    ingest.state.acceptedKey = 'vgl_other';
    await delivery.submit(report());
    ingest.state.acceptedKey = KEY;
    ingest.state.tickets = false;
    await delivery.flush();
    await delivery.submit(report());
    expect(ticketsSent(ingest).slice(1)).toEqual([expect.stringMatching(/^ticket-/), null, null]);
    expect(logLines.join('\n')).not.toContain('ticket-');
  });
});

describe('the spool', () => {
  it('keeps reports while the ingest is down, then sends the newest first and backfills the rest newest to oldest', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    const first = [report(), report(), report()];
    for (const [index, sent] of first.entries()) {
      const outcome = await delivery.submit(sent);
      expect(outcome.delivered).toEqual([]);
      expect(outcome.spooled).toBe(index + 1);
      expect(outcome.error).toEqual({ kind: 'network', message: expect.stringContaining('ECONNREFUSED') });
    }
    ingest.state.behaviour = 'up';
    const whileDown = ingest.requests.length;
    const last = report();
    const outcome = await delivery.submit(last);

    const newestFirst = [last, ...[...first].reverse()].map((sent) => sent.reportId);
    expect(outcome.delivered).toEqual(newestFirst);
    expect(outcome.spooled).toBe(0);
    expect(outcome.error).toBeUndefined();
    // The present first, as it is; the past after it, marked as history (the server raises no alert from it).
    const sentWhileUp = ingest.requests.slice(whileDown).map((request) => request.body.data);
    expect(sentWhileUp.map((data) => data.reportId)).toEqual(newestFirst);
    expect(sentWhileUp.map((data) => data.backfill)).toEqual([undefined, true, true, true]);
    expect(sentWhileUp[1]).toEqual({ ...first[2], backfill: true });
  });

  it('never sends a report older than one already delivered as the present, even after a pause', async () => {
    const ingest = fakeIngest();
    // The ingest accepts two reports, then asks the agent to wait (its burst is spent).
    const accept = ingest.fetch;
    let accepted = 0;
    ingest.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const answer = await accept(input, init);
      if (answer.status === 200 && ++accepted === 2) ingest.state.behaviour = 'rate-limited';
      return answer;
    }) as typeof fetch;
    const { delivery } = setup({ ingest });
    ingest.state.behaviour = 'down';
    const old = [report(), report(), report()];
    for (const sent of old) await delivery.submit(sent);
    ingest.state.behaviour = 'up';
    const whileDown = ingest.requests.length;
    const present = report();
    const outcome = await delivery.submit(present);
    expect(outcome).toMatchObject({
      delivered: [present.reportId, old[2]!.reportId],
      spooled: 2,
      error: { kind: 'rate-limited', retryAfterSeconds: 30 },
    });

    clock += 30_000;
    ingest.state.behaviour = 'up';
    expect((await delivery.flush()).delivered).toEqual([old[1]!.reportId, old[0]!.reportId]);
    const sentWhileUp = ingest.requests.slice(whileDown).map((request) => [request.body.data.reportId, request.body.data.backfill]);
    expect(sentWhileUp).toEqual([
      [present.reportId, undefined],
      [old[2]!.reportId, true],
      [old[1]!.reportId, true], // refused once (rate-limited), then sent again after the wait
      [old[1]!.reportId, true],
      [old[0]!.reportId, true],
    ]);
  });

  it('writes private files in a private directory', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    expect((await stat(spoolDir)).mode & 0o777).toBe(0o700);
    const [file] = await spoolFiles();
    expect((await stat(path.join(spoolDir, file!))).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing spool directory that others could read', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(spoolDir, { recursive: true, mode: 0o755 }));
    const { delivery } = setup();
    await delivery.status();
    expect((await stat(spoolDir)).mode & 0o777).toBe(0o700);
  });

  it('does not follow a symbolic link planted in the spool: the file outside is neither sent nor overwritten', async () => {
    const outside = path.join(dir, 'outside.json');
    const secret = JSON.stringify({ reportId: 'r-planted-0001', note: 'root-only content' });
    await writeFile(outside, secret);
    await mkdir(spoolDir, { recursive: true, mode: 0o700 });
    await symlink(outside, path.join(spoolDir, '0000000000000001-r-planted-0001.json'));
    await symlink(outside, path.join(spoolDir, 'state.json'));
    // Room for one report: the second one drops the first, and the dropped count is written to state.json.
    const { delivery, ingest } = setup({ config: { maxSpooledReports: 1 } });
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    await delivery.submit(report());
    ingest.state.behaviour = 'up';
    const sent = report();
    expect(await delivery.submit(sent)).toMatchObject({ delivered: [sent.reportId], spooled: 0, dropped: 2 });
    expect(ingest.sent()).not.toContain('r-planted-0001');
    expect(JSON.stringify(ingest.requests)).not.toContain('root-only content');
    expect(await readFile(outside, 'utf8')).toBe(secret);
  });

  it('refuses a spool directory others can write to, says why, and still sends', async () => {
    await mkdir(spoolDir, { recursive: true });
    await chmod(spoolDir, 0o777);
    const { delivery, ingest } = setup();
    const sent = report();
    expect((await delivery.submit(sent)).delivered).toEqual([sent.reportId]);
    ingest.state.behaviour = 'down';
    expect(await delivery.submit(report())).toMatchObject({ delivered: [], spooled: 0, dropped: 1 });
    expect(await readdir(spoolDir)).toEqual([]);
    expect((await stat(spoolDir)).mode & 0o777).toBe(0o777); // left as it is: the administrator looks first
    const complaint = logged().find((line) => line.level === 'error' && String(line.reason).includes('writable by group or others'));
    expect(complaint?.reason).toContain(spoolDir);
  });

  it('refuses a spool directory owned by another user, and one that is a symbolic link', async () => {
    const real = path.join(dir, 'elsewhere');
    await mkdir(real, { mode: 0o700 });
    await mkdir(path.dirname(spoolDir), { recursive: true });
    await symlink(real, spoolDir);
    const linked = setup();
    linked.ingest.state.behaviour = 'down';
    expect(await linked.delivery.submit(report())).toMatchObject({ spooled: 0, dropped: 1 });
    expect(await readdir(real)).toEqual([]);
    expect(logged().some((line) => String(line.reason).includes('is a symbolic link'))).toBe(true);

    if (process.getuid?.() !== 0) return; // only root can give a directory away
    await rm(spoolDir);
    await mkdir(spoolDir, { mode: 0o700 });
    await chown(spoolDir, 65534, 65534);
    const foreign = setup();
    foreign.ingest.state.behaviour = 'down';
    expect(await foreign.delivery.submit(report())).toMatchObject({ spooled: 0, dropped: 1 });
    expect(await readdir(spoolDir)).toEqual([]);
    expect(logged().some((line) => String(line.reason).includes('owned by uid 65534'))).toBe(true);
  });

  it('survives a restart: a new Delivery on the same directory sees and sends the spool', async () => {
    const before = setup();
    before.ingest.state.behaviour = 'down';
    const waiting = [report(), report()];
    for (const sent of waiting) await before.delivery.submit(sent);

    const ingest = fakeIngest();
    const after = setup({ ingest });
    expect(await after.delivery.status()).toMatchObject({ spooled: 2, dropped: 0 });
    const outcome = await after.delivery.flush();
    // Newest first: the newest spooled report is the freshest state this agent has.
    expect(outcome.delivered).toEqual(waiting.map((sent) => sent.reportId).reverse());
    expect(await after.delivery.status()).toEqual({ spooled: 0, bytes: 0, dropped: 0 });
  });

  it('still sends as backfill, after a restart, a report older than one delivered as the present', async () => {
    const before = setup();
    before.ingest.state.behaviour = 'down';
    const [older, newer] = [report(), report()];
    await before.delivery.submit(older!);
    await before.delivery.submit(newer!);
    // Back: the newer one goes through as the present; the older one's send is lost.
    before.ingest.state.behaviour = 'up';
    const blip = before.ingest.fetch;
    const lossy: typeof fetch = async (input, init) => {
      if (String(init?.body).includes(older!.reportId)) throw new TypeError('fetch failed');
      return blip(input, init);
    };
    const lossyRun = createDelivery(before.config, {
      log: createLogger('debug', () => undefined),
      fetch: lossy,
      now: () => clock,
      random: () => 0.5,
      sleep: fakeSleep,
    });
    expect(await lossyRun.flush()).toMatchObject({ delivered: [newer!.reportId], spooled: 1, error: { kind: 'network' } });

    // Restarted: the older report is the only one spooled, yet it is history, not the present.
    const after = setup();
    expect((await after.delivery.flush()).delivered).toEqual([older!.reportId]);
    expect(after.ingest.requests.map((request) => request.body.data.backfill)).toEqual([true]);
  });

  it('ignores a half-written temporary file, cleans a stale one, and ignores foreign files', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    await writeFile(path.join(spoolDir, '.tmp-999-stale'), '{"reportId": "r-half-writ');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(path.join(spoolDir, '.tmp-999-stale'), old, old);
    await writeFile(path.join(spoolDir, '.tmp-1000-fresh'), '{"report');
    await writeFile(path.join(spoolDir, 'notes.txt'), 'not a report');

    // A restart after the crash: only whole reports count.
    const restarted = setup({ ingest });
    expect((await restarted.delivery.status()).spooled).toBe(1);
    const names = await readdir(spoolDir);
    expect(names).not.toContain('.tmp-999-stale');
    expect(names).toContain('.tmp-1000-fresh'); // may be another process's write in progress
    ingest.state.behaviour = 'up';
    expect((await restarted.delivery.flush()).delivered).toHaveLength(1);
    expect(ingest.sent()).toHaveLength(2);
  });

  it('removes a damaged report file instead of sending it, and counts it as dropped', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    const [file] = await spoolFiles();
    await writeFile(path.join(spoolDir, file!), '{"reportId": "r-trunc');
    ingest.state.behaviour = 'up';
    const outcome = await delivery.flush();
    expect(outcome).toMatchObject({ delivered: [], spooled: 0, dropped: 1 });
    expect(ingest.sent().length).toBe(1); // only the attempt while down
  });

  it('is bounded in count: the oldest are dropped first and the count is kept across restarts', async () => {
    const { delivery, ingest } = setup({ config: { maxSpooledReports: 3 } });
    ingest.state.behaviour = 'down';
    const sent = Array.from({ length: 5 }, () => report());
    let outcome;
    for (const each of sent) outcome = await delivery.submit(each);
    expect(outcome).toMatchObject({ spooled: 3, dropped: 2 });
    expect((await spoolFiles()).map((name) => name.replace(/^\d+-|\.json$/g, ''))).toEqual(sent.slice(2).map((each) => each.reportId));
    expect(logged().some((line) => line.level === 'warn' && line.message.startsWith('spool full'))).toBe(true);

    const restarted = setup({ ingest, config: { maxSpooledReports: 3 } });
    expect(await restarted.delivery.status()).toMatchObject({ spooled: 3, dropped: 2 });
    ingest.state.behaviour = 'up';
    // The next report carries the dropped count (the core puts status() into report.delivery).
    const status = await restarted.delivery.status();
    const next = report({ delivery: { spooled: status.spooled, dropped: status.dropped } });
    const delivered = await restarted.delivery.submit(next);
    // The spool was full when `next` arrived: it is written first (durability), so one more old report goes.
    expect(delivered).toMatchObject({ spooled: 0, dropped: 3 });
    expect(delivered.delivered).toEqual([next, ...sent.slice(3).reverse()].map((each) => each.reportId));
    expect(ingest.requests.find((request) => request.body.data.reportId === next.reportId)?.body.data.delivery).toEqual({ spooled: 3, dropped: 2 });
  });

  it('is bounded in bytes', async () => {
    const size = Buffer.byteLength(JSON.stringify(report()));
    const { delivery, ingest } = setup({ config: { maxSpoolBytes: size * 2 + 10 } });
    ingest.state.behaviour = 'down';
    const sent = Array.from({ length: 4 }, () => report());
    for (const each of sent) await delivery.submit(each);
    const status = await delivery.status();
    expect(status).toMatchObject({ spooled: 2, dropped: 2 });
    expect(status.bytes).toBeLessThanOrEqual(size * 2 + 10);
    expect((await spoolFiles()).map((name) => name.replace(/^\d+-|\.json$/g, ''))).toEqual(sent.slice(2).map((each) => each.reportId));
  });

  it('sends a report larger than the whole spool without spooling it, and counts it dropped if that fails', async () => {
    const { delivery, ingest } = setup({ config: { maxSpoolBytes: 100 } });
    const big = report({ host: { hostname: 'x'.repeat(200) } });
    expect((await delivery.submit(big)).delivered).toEqual([big.reportId]);
    ingest.state.behaviour = 'down';
    expect(await delivery.submit(report({ host: { hostname: 'y'.repeat(200) } }))).toMatchObject({ spooled: 0, dropped: 1 });
  });

  it('recreates a spool directory removed while the agent runs', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    await rm(spoolDir, { recursive: true });
    expect((await delivery.submit(report())).spooled).toBe(1);
    expect((await stat(spoolDir)).mode & 0o777).toBe(0o700);
  });

  it('still sends when the spool cannot be written, and counts the report dropped if that fails too', async () => {
    await writeFile(path.join(dir, 'not-a-directory'), '');
    spoolDir = path.join(dir, 'not-a-directory', 'spool');
    const { delivery, ingest } = setup();
    const first = report();
    expect(await delivery.submit(first)).toMatchObject({ delivered: [first.reportId], spooled: 0, dropped: 0 });
    ingest.state.behaviour = 'down';
    expect(await delivery.submit(report())).toMatchObject({ delivered: [], spooled: 0, dropped: 1, error: { kind: 'network' } });
    expect(logged().some((line) => line.level === 'error' && line.message.startsWith('could not write the report to the spool'))).toBe(true);
  });

  it('does not spool the same reportId twice', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    const sent = report();
    await delivery.submit(sent);
    expect((await delivery.submit(sent)).spooled).toBe(1);
  });

  it('never lets a malformed reportId near the file system', async () => {
    const { delivery, ingest } = setup();
    const outcome = await delivery.submit(report({ reportId: '../../../etc/cron.d/x' }));
    expect(outcome.error?.kind).toBe('invalid');
    expect(ingest.requests).toHaveLength(0);
    expect(await spoolFiles()).toEqual([]);
  });

  it('serialises concurrent submits and flushes: each report is sent once', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    await delivery.submit(report());
    ingest.state.behaviour = 'up';
    const sent = [report(), report()];
    await Promise.all([delivery.flush(), delivery.submit(sent[0]!), delivery.flush(), delivery.submit(sent[1]!), delivery.flush()]);
    const whileUp = ingest.sent().slice(2);
    expect(whileUp).toHaveLength(4);
    expect(new Set(whileUp).size).toBe(4);
    expect((await delivery.status()).spooled).toBe(0);
  });
});

describe('pacing', () => {
  it('drains 5 spooled reports at most one a second (4 s of clock at least), in the usual order', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    const waiting = Array.from({ length: 5 }, () => report());
    for (const sent of waiting) await delivery.submit(sent);
    ingest.state.behaviour = 'up';
    clock += 600_000; // a while later: the previous send is long past
    const whileDown = ingest.requests.length;
    const started = clock;

    const outcome = await delivery.flush();
    const newestFirst = [...waiting].reverse().map((sent) => sent.reportId);
    expect(outcome).toMatchObject({ delivered: newestFirst, spooled: 0 });
    const drained = ingest.requests.slice(whileDown);
    expect(drained.map((request) => [request.body.data.reportId, request.body.data.backfill])).toEqual(
      newestFirst.map((reportId, index) => [reportId, index === 0 ? undefined : true]),
    );
    expect(clock - started).toBeGreaterThanOrEqual(4 * SEND_SPACING_MS);
    // The first goes at once; each later one a whole spacing after the one before it.
    expect(drained[0]?.at).toBe(started);
    const gaps = drained.slice(1).map((request, index) => request.at - drained[index]!.at);
    expect(gaps).toEqual([SEND_SPACING_MS, SEND_SPACING_MS, SEND_SPACING_MS, SEND_SPACING_MS]);
  });

  it('spaces sends from one call to the next, and a report one interval later goes at once', async () => {
    const { delivery, ingest } = setup();
    const [first, second, third] = [report(), report(), report()];
    await delivery.submit(first!);
    await delivery.submit(second!);
    expect(ingest.requests.map((request) => request.at - ingest.requests[0]!.at)).toEqual([0, SEND_SPACING_MS]);

    clock += 300_000;
    const sleptBefore = sleeps.length;
    const sentAt = clock;
    expect((await delivery.submit(third!)).delivered).toEqual([third!.reportId]);
    expect(sleeps.length).toBe(sleptBefore);
    expect(ingest.requests.at(-1)?.at).toBe(sentAt);
  });

  it('still stops a paced drain at RESOURCE_EXHAUSTED and waits as long as the ingest asks', async () => {
    const ingest = fakeIngest();
    const accept = ingest.fetch;
    let accepted = 0;
    ingest.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const answer = await accept(input, init);
      if (answer.status === 200 && ++accepted === 2) ingest.state.behaviour = 'rate-limited';
      return answer;
    }) as typeof fetch;
    ingest.state.retryAfterSeconds = 75;
    const { delivery } = setup({ ingest });
    ingest.state.behaviour = 'down';
    for (let count = 0; count < 4; count += 1) await delivery.submit(report());
    ingest.state.behaviour = 'up';
    clock += 600_000;
    const whileDown = ingest.requests.length;

    expect(await delivery.flush()).toMatchObject({ spooled: 2, error: { kind: 'rate-limited', retryAfterSeconds: 75 } });
    expect(ingest.requests.length - whileDown).toBe(3); // two accepted, the third refused: nothing more is tried
    expect(delivery.nextRetryDelayMs()).toBe(75_000);
  });
});

describe('errors', () => {
  it('unauthenticated: keeps the spool and says so, then delivers once the key is accepted', async () => {
    const { delivery, ingest } = setup();
    ingest.state.acceptedKey = 'vgl_otherkeyotherkey_x';
    const sent = report();
    const outcome = await delivery.submit(sent);
    expect(outcome).toMatchObject({ delivered: [], spooled: 1, error: { kind: 'unauthenticated' } });
    expect(delivery.nextRetryDelayMs()).toBeGreaterThan(0);
    expect(logged().some((line) => line.level === 'error' && line.message.includes('refused the agent key'))).toBe(true);

    ingest.state.acceptedKey = KEY;
    expect((await delivery.flush()).delivered).toEqual([sent.reportId]);
    expect(delivery.nextRetryDelayMs()).toBe(0);
  });

  it('invalid: removes the refused report, says so loudly, and sends the rest', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'down';
    const bad = report();
    const good = report();
    await delivery.submit(bad);
    await delivery.submit(good);
    ingest.state.behaviour = 'up';
    ingest.state.refuse.add(bad.reportId);
    const outcome = await delivery.flush();
    expect(outcome).toMatchObject({ delivered: [good.reportId], spooled: 0, dropped: 0, error: { kind: 'invalid' } });
    expect(outcome.error?.message).toContain('solutions.0.id');
    expect(delivery.nextRetryDelayMs()).toBe(0);
    const complaint = logged().find((line) => line.level === 'error' && line.reportId === bad.reportId);
    expect(complaint?.message).toContain('refused a report as invalid');
    expect((await delivery.flush()).delivered).toEqual([]);
  });

  it('rate-limited: waits exactly as long as the ingest asks, without sending meanwhile', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'rate-limited';
    ingest.state.retryAfterSeconds = 45;
    const outcome = await delivery.submit(report());
    expect(outcome.error).toEqual({ kind: 'rate-limited', message: expect.any(String), retryAfterSeconds: 45 });
    expect(delivery.nextRetryDelayMs()).toBe(45_000);

    clock += 20_000;
    expect(delivery.nextRetryDelayMs()).toBe(25_000);
    const waiting = await delivery.submit(report());
    expect(waiting).toMatchObject({ spooled: 2, error: { kind: 'rate-limited', retryAfterSeconds: 25 } });
    expect(ingest.requests).toHaveLength(1);

    clock += 25_000;
    ingest.state.behaviour = 'up';
    expect(delivery.nextRetryDelayMs()).toBe(0);
    expect((await delivery.flush()).delivered).toHaveLength(2);
  });

  it('server: a 500 or a non-callable answer keeps the spool and backs off', async () => {
    const { delivery, ingest } = setup();
    ingest.state.behaviour = 'internal';
    expect(await delivery.submit(report())).toMatchObject({ spooled: 1, error: { kind: 'server', message: 'INTERNAL: INTERNAL (HTTP 500)' } });
    ingest.state.behaviour = 'not-found';
    expect(await delivery.flush()).toMatchObject({ spooled: 1, error: { kind: 'server', message: expect.stringContaining('HTTP 404') } });
    expect(delivery.nextRetryDelayMs()).toBeGreaterThan(0);
  });

  it('network: a request that never answers times out', async () => {
    const { delivery, ingest } = setup({ config: { requestTimeoutMs: 50 } });
    ingest.state.behaviour = 'hang';
    expect(await delivery.submit(report())).toMatchObject({ spooled: 1, error: { kind: 'network', message: 'no answer within 50 ms' } });
  });
});

describe('backoff', () => {
  it('grows exponentially with consecutive failures up to about 15 minutes, and resets on success', async () => {
    const { delivery, ingest } = setup({ random: () => 0.999_999 });
    ingest.state.behaviour = 'down';
    await delivery.submit(report());
    const delays = [delivery.nextRetryDelayMs()];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await delivery.flush();
      delays.push(delivery.nextRetryDelayMs());
    }
    expect(delays).toEqual([4_999, 9_999, 19_999, 39_999, 79_999, 159_999, 319_999, 639_999, 899_999, 899_999, 899_999]);
    clock += 300_000;
    expect(delivery.nextRetryDelayMs()).toBe(599_999);
    ingest.state.behaviour = 'up';
    await delivery.flush();
    expect(delivery.nextRetryDelayMs()).toBe(0);
  });

  it('jitters: a fleet failing together does not retry together', async () => {
    const draws = [0.1, 0.7];
    const delays = [];
    for (const draw of draws) {
      const { delivery, ingest } = setup({ random: () => draw });
      ingest.state.behaviour = 'down';
      await delivery.submit(report());
      for (let attempt = 0; attempt < 3; attempt += 1) await delivery.flush();
      delays.push(delivery.nextRetryDelayMs());
    }
    expect(delays).toEqual([4_000, 28_000]);
  });
});

describe('probe', () => {
  it('reports a valid key when the ingest refuses the probe payload as invalid, and stores nothing', async () => {
    const { delivery, ingest } = setup();
    expect(await delivery.probe()).toEqual({ reachable: true, keyValid: true, message: expect.any(String) });
    expect(ingest.requests[0]?.body).toEqual({ data: { probe: true } });
    expect(ingest.requests[0]?.headers.get('x-vigil-key')).toBe(KEY);
    expect(ingest.stored.size).toBe(0);
    await expect(stat(spoolDir)).rejects.toThrow();
  });

  it('reports an invalid key, an unreachable ingest, and an endpoint that is not the ingest', async () => {
    const { delivery, ingest } = setup();
    ingest.state.acceptedKey = 'something else';
    expect(await delivery.probe()).toMatchObject({ reachable: true, keyValid: false });
    ingest.state.behaviour = 'down';
    expect(await delivery.probe()).toMatchObject({ reachable: false, keyValid: undefined, message: expect.stringContaining('ECONNREFUSED') });
    ingest.state.behaviour = 'not-found';
    expect(await delivery.probe()).toMatchObject({ reachable: false, keyValid: undefined, message: expect.stringContaining('HTTP 404') });
    ingest.state.behaviour = 'internal';
    expect(await delivery.probe()).toMatchObject({ reachable: true, keyValid: undefined });
  });
});

describe('the key', () => {
  it('appears in no log line and no outcome, even when a server echoes it back', async () => {
    const { delivery, ingest } = setup({ config: { maxSpooledReports: 2 } });
    ingest.state.echo = ` (you sent ${KEY}; its secret is ${SECRET})`;
    const outcomes: unknown[] = [];
    const run = async (behaviour: Behaviour, action: () => Promise<unknown>) => {
      ingest.state.behaviour = behaviour;
      outcomes.push(await action());
    };
    await run('down', () => delivery.submit(report()));
    await run('internal', () => delivery.submit(report()));
    await run('not-found', () => delivery.submit(report()));
    await run('rate-limited', () => delivery.submit(report()));
    clock += 3_600_000;
    ingest.state.acceptedKey = 'other';
    await run('up', () => delivery.flush());
    ingest.state.acceptedKey = KEY;
    ingest.state.refuse.add(ingest.sent().at(-1)!);
    await run('up', () => delivery.submit(report()));
    await run('up', () => delivery.probe());
    await run('down', () => delivery.probe());
    await run('up', () => delivery.status());

    expect(logLines.length).toBeGreaterThan(5);
    const everything = [...logLines, JSON.stringify(outcomes)].join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(KEY);
    expect(JSON.stringify(outcomes)).toContain('[redacted]');
    // The spool holds reports only: nothing on disk knows the key either.
    for (const name of await readdir(spoolDir)) expect(await readFile(path.join(spoolDir, name), 'utf8')).not.toContain(SECRET);
  });
});
