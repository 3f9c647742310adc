import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { fixedKeys, keyFileKeys, previousKeyFile } from './agent-keys.js';
import { classifyKeyAnswer } from './fetch-key.js';
import { fetchKeyUrlFor } from './key-url.js';

const OLD = `vgl_aaaaaaaaaaaaaaaa_${'O'.repeat(43)}`;
const NEW = `vgl_bbbbbbbbbbbbbbbb_${'N'.repeat(43)}`;
const URL_ = 'https://us-central1-demo.cloudfunctions.net/fetchAgentKey';

let dir: string;
let keyFile: string;
const lines: string[] = [];
const log = createLogger(
  'debug',
  (line) => lines.push(line),
  () => new Date(0),
);
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-keys-'));
  keyFile = path.join(dir, 'key');
  await writeFile(keyFile, `${OLD}\n`, { mode: 0o600 });
  lines.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** fetchAgentKey as a function: answers with `key`, recording the key each call came with. */
function keyServer(answer: () => Response) {
  const calls: string[] = [];
  const fetch = (_url: string | URL | Request, init: RequestInit = {}) => {
    calls.push(new Headers(init.headers).get('x-vigil-key') ?? '');
    return Promise.resolve(answer());
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}
const issued = (key: string) => () => new Response(JSON.stringify({ result: { key, keyPrefix: 'vgl_…' } }), { status: 200 });
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('keyFileKeys', () => {
  it('fetches the new key when asked, keeps the old in .previous, and drops it once the new one is accepted', async () => {
    const server = keyServer(issued(NEW));
    const keys = keyFileKeys({ keyFile, key: OLD, fetchUrl: URL_, fetch: server.fetch, timeoutMs: 1000, log });
    expect(await keys.current()).toBe(OLD);
    await keys.accepted(OLD, false);
    expect(server.calls).toEqual([]);
    await keys.accepted(OLD, true);
    expect(server.calls).toEqual([OLD]);
    expect(await keys.current()).toBe(NEW);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(NEW);
    expect((await readFile(previousKeyFile(keyFile), 'utf8')).trim()).toBe(OLD);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(previousKeyFile(keyFile))).mode & 0o777).toBe(0o600);
    await keys.accepted(NEW, false);
    expect(await exists(previousKeyFile(keyFile))).toBe(false);
    expect(lines.join('\n')).not.toContain(NEW.slice(22));
  });

  it('falls back to the previous key when the new one is refused, after a restart too', async () => {
    await writeFile(keyFile, `${NEW}\n`, { mode: 0o600 });
    await writeFile(previousKeyFile(keyFile), `${OLD}\n`, { mode: 0o600 });
    const keys = keyFileKeys({ keyFile, key: NEW, fetchUrl: URL_, fetch: keyServer(issued(NEW)).fetch, timeoutMs: 1000, log });
    expect(await keys.current()).toBe(NEW);
    expect(await keys.refused(NEW)).toBe(true);
    expect(await keys.current()).toBe(OLD);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(OLD);
    expect(await exists(previousKeyFile(keyFile))).toBe(false);
    // Nothing more to fall back to.
    expect(await keys.refused(OLD)).toBe(false);
  });

  it('removes a .previous that holds the key file own key (a restart between the two writes)', async () => {
    await writeFile(previousKeyFile(keyFile), `${OLD}\n`, { mode: 0o600 });
    const keys = keyFileKeys({ keyFile, key: OLD, fetchUrl: URL_, fetch: keyServer(issued(NEW)).fetch, timeoutMs: 1000, log });
    expect(await keys.current()).toBe(OLD);
    expect(await exists(previousKeyFile(keyFile))).toBe(false);
    expect(await keys.refused(OLD)).toBe(false);
  });

  it('keeps the current key when the fetch fails, and writes nothing', async () => {
    const refusal = () => new Response(JSON.stringify({ error: { status: 'RESOURCE_EXHAUSTED', message: 'retry in 5 s.' } }), { status: 429 });
    const keys = keyFileKeys({ keyFile, key: OLD, fetchUrl: URL_, fetch: keyServer(refusal).fetch, timeoutMs: 1000, log });
    await keys.accepted(OLD, true);
    expect(await keys.current()).toBe(OLD);
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(OLD);
    expect(await exists(previousKeyFile(keyFile))).toBe(false);
    expect(lines.join('\n')).toContain('RESOURCE_EXHAUSTED: retry in 5 s.');
  });

  it('does not fetch without a fetch URL (an endpoint with no key fetch beside it), saying so once', async () => {
    const server = keyServer(issued(NEW));
    const keys = keyFileKeys({ keyFile, key: OLD, fetchUrl: undefined, fetch: server.fetch, timeoutMs: 1000, log });
    await keys.accepted(OLD, true);
    await keys.accepted(OLD, true);
    expect(server.calls).toEqual([]);
    expect(lines.filter((line) => line.includes('has no key fetch beside it'))).toHaveLength(1);
  });
});

describe('fixedKeys', () => {
  it('never changes an inline key, and says once why it cannot rotate', async () => {
    const keys = fixedKeys(OLD, log);
    await keys.accepted(OLD, true);
    await keys.accepted(OLD, true);
    expect(await keys.current()).toBe(OLD);
    expect(await keys.refused(OLD)).toBe(false);
    expect(lines.filter((line) => line.includes('the key is inline'))).toHaveLength(1);
  });
});

describe('fetchKeyUrlFor', () => {
  it("is the callable beside ingestReport, a relay's /agent-key, and none for anything else", () => {
    expect(fetchKeyUrlFor('https://us-central1-p.cloudfunctions.net/ingestReport')).toBe('https://us-central1-p.cloudfunctions.net/fetchAgentKey');
    expect(fetchKeyUrlFor('http://127.0.0.1:5001/demo/us-central1/ingestReport')).toBe('http://127.0.0.1:5001/demo/us-central1/fetchAgentKey');
    expect(fetchKeyUrlFor('https://relay:8443/ingest')).toBe('https://relay:8443/agent-key');
    expect(fetchKeyUrlFor('https://relay:8443/other/ingest')).toBeUndefined();
    expect(fetchKeyUrlFor('https://x/ingestReport?k=1')).toBeUndefined();
    expect(fetchKeyUrlFor('not a url')).toBeUndefined();
  });
});

describe('classifyKeyAnswer', () => {
  it('takes only a well-formed key out of a 200', () => {
    expect(classifyKeyAnswer(200, JSON.stringify({ result: { key: NEW, keyPrefix: 'p' } }))).toEqual({ ok: true, key: NEW });
    expect(classifyKeyAnswer(200, JSON.stringify({ result: { key: 'vgl_short', keyPrefix: 'p' } })).ok).toBe(false);
    expect(classifyKeyAnswer(200, 'nope').ok).toBe(false);
    expect(classifyKeyAnswer(400, JSON.stringify({ error: { status: 'FAILED_PRECONDITION', message: 'No key\nrotation' } }))).toEqual({
      ok: false,
      message: 'FAILED_PRECONDITION: No key rotation',
    });
    expect(classifyKeyAnswer(502, '<html>')).toEqual({ ok: false, message: 'fetchAgentKey answered HTTP 502' });
  });
});
