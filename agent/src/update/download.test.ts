// Downloads from a real local HTTP server: what is kept, and what is left behind (nothing) when the
// bundle is not the one offered.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleUrlFor, downloadBundle, UpdateError } from './download.js';

const BUNDLE = Buffer.from('#!/usr/bin/env node\nexport async function vigilAgentMain() { return 0; }\n');
const SHA = createHash('sha256').update(BUNDLE).digest('hex');
let server: Server;
let origin: string;
let dir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/bundle') return void response.end(BUNDLE);
    if (request.url === '/big') {
      // No content-length: the cap must hold while streaming.
      response.write(Buffer.alloc(4096, 1));
      response.write(Buffer.alloc(4096, 1));
      return void response.end();
    }
    if (request.url === '/redirect') return void response.writeHead(302, { location: '/bundle' }).end();
    response.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(tmpdir(), 'vigil-download-')), 'update');
});
afterEach(() => rm(path.dirname(dir), { recursive: true, force: true }));

const offer = (sha256 = SHA) => ({ version: '0.2.0', sha256, url: `${origin}/bundle` });
const download = (url: string, sha256 = SHA, maxBytes?: number) =>
  downloadBundle({ url, offer: offer(sha256), updateDir: dir, fetch: globalThis.fetch, ...(maxBytes ? { maxBytes } : {}) });
/** Files left in the bundle's directory (temporary ones included). */
const leftIn = async (sha256: string) => (existsSync(path.join(dir, sha256)) ? readdir(path.join(dir, sha256)) : []);

describe('downloadBundle', () => {
  it('keeps the bundle when its SHA-256 is the offer’s, private, named by it', async () => {
    const file = await download(`${origin}/bundle`);
    expect(file).toBe(path.join(dir, SHA, 'vigil-agent.mjs'));
    expect(await readFile(file)).toEqual(BUNDLE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await leftIn(SHA)).toEqual(['vigil-agent.mjs']);
  });

  it('refuses a bundle whose SHA-256 is not the offer’s and leaves nothing', async () => {
    const other = 'f'.repeat(64);
    await expect(download(`${origin}/bundle`, other)).rejects.toThrow(
      new UpdateError(`its SHA-256 is ${SHA.slice(0, 12)}…, not ffffffffffff… as offered`),
    );
    expect(await leftIn(other)).toEqual([]);
  });

  it('cuts off a download past the size cap and leaves nothing', async () => {
    await expect(download(`${origin}/big`, SHA, 5000)).rejects.toThrow('the bundle is larger than 5000 bytes');
    expect(await leftIn(SHA)).toEqual([]);
    // The declared length alone is enough to refuse.
    await expect(download(`${origin}/bundle`, SHA, 10)).rejects.toThrow('the bundle is larger than 10 bytes');
  });

  it('says what the server answered, and follows no redirect', async () => {
    await expect(download(`${origin}/missing`)).rejects.toThrow('the download answered HTTP 404');
    await expect(download(`${origin}/redirect`)).rejects.toThrow(/^the download failed/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(download(`http://127.0.0.1:${port}/bundle`)).rejects.toThrow(/ECONNREFUSED/);
    expect(await leftIn(SHA)).toEqual([]);
  });
});

describe('bundleUrlFor', () => {
  const direct = { endpoint: 'https://us-central1-p.cloudfunctions.net/ingestReport', relayFingerprint: undefined, allowInsecureHttp: false };
  const https = { version: '0.2.0', sha256: SHA, url: 'https://dash.example/vigil-agent.mjs' };

  it('takes the offer’s https URL, or http to this machine', () => {
    expect(bundleUrlFor(direct, https)).toBe(https.url);
    expect(bundleUrlFor(direct, { ...https, url: 'http://localhost:3000/vigil-agent.mjs' })).toBe('http://localhost:3000/vigil-agent.mjs');
  });

  it('refuses plain http to another machine unless allow_insecure_http, and other schemes or credentials', () => {
    const insecure = { ...https, url: 'http://dash.example/vigil-agent.mjs' };
    expect(() => bundleUrlFor(direct, insecure)).toThrow(/plain http:\/\/ to another machine/);
    expect(bundleUrlFor({ ...direct, allowInsecureHttp: true }, insecure)).toBe(insecure.url);
    expect(() => bundleUrlFor(direct, { ...https, url: 'file:///etc/shadow' })).toThrow('the offered URL is not https:// (file:)');
    expect(() => bundleUrlFor(direct, { ...https, url: 'https://u:p@dash.example/x' })).toThrow('credentials');
    expect(() => bundleUrlFor(direct, { ...https, url: 'nope' })).toThrow('not a URL');
  });

  it('behind a relay, asks the relay (RELAY_BUNDLE_PATH on the endpoint’s origin), never the offer’s URL', () => {
    const relay = { endpoint: 'https://10.0.0.5:8443/ingest', relayFingerprint: 'a'.repeat(64), allowInsecureHttp: false };
    expect(bundleUrlFor(relay, { ...https, url: 'https://elsewhere.example/x.mjs' })).toBe('https://10.0.0.5:8443/agent-bundle');
  });
});
