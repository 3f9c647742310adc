import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecret, SECRET_FILE, sealKey, unsealKey } from './key-sealing.js';
import { RelaySpool } from './relay-spool.js';
import { KEY_A, KEY_B } from '../../test/support/relay.js';

describe('sealing keys', () => {
  const secret = randomBytes(32);

  it('round-trips, and the sealed form does not contain the key or its secret', () => {
    const sealed = sealKey(secret, KEY_A, 'aaaaaaaaaaaaaaaa/r-1');
    expect(unsealKey(secret, sealed, 'aaaaaaaaaaaaaaaa/r-1')).toBe(KEY_A);
    expect(JSON.stringify(sealed)).not.toContain('AAAAAAAAAA');
    // A fresh IV every time: the same key never seals to the same bytes.
    expect(sealKey(secret, KEY_A, 'x').data).not.toBe(sealKey(secret, KEY_A, 'x').data);
  });

  it('opens nothing with another secret, other associated data or altered bytes', () => {
    const sealed = sealKey(secret, KEY_A, 'aaaaaaaaaaaaaaaa/r-1');
    expect(unsealKey(randomBytes(32), sealed, 'aaaaaaaaaaaaaaaa/r-1')).toBeUndefined();
    expect(unsealKey(secret, sealed, 'aaaaaaaaaaaaaaaa/r-2')).toBeUndefined();
    const flipped = Buffer.from(sealed.data, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(unsealKey(secret, { ...sealed, data: flipped.toString('base64url') }, 'aaaaaaaaaaaaaaaa/r-1')).toBeUndefined();
  });
});

describe('the relay secret and spool', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'vigil-seal-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes the secret once, mode 0600, and tightens a loose one', async () => {
    const first = await loadOrCreateSecret(dir);
    expect(first).toHaveLength(32);
    expect((await stat(path.join(dir, SECRET_FILE))).mode & 0o777).toBe(0o600);
    await chmod(path.join(dir, SECRET_FILE), 0o644);
    expect(await loadOrCreateSecret(dir)).toEqual(first);
    expect((await stat(path.join(dir, SECRET_FILE))).mode & 0o777).toBe(0o600);
  });

  it('spools requests with sealed keys, oldest first, without a duplicate, within its bounds, dropping none', async () => {
    const secret = await loadOrCreateSecret(dir);
    const quota = { maxReports: 100, maxBytes: 1024 * 1024 };
    const spool = new RelaySpool(path.join(dir, 'spool'), { maxReports: 2, maxBytes: 1024 * 1024 }, secret, quota);
    const body = (id: string) => JSON.stringify({ data: { reportId: id } });
    expect(await spool.add({ keyId: 'aaaaaaaaaaaaaaaa', reportId: 'report-01', key: KEY_A, body: body('report-01') })).toEqual({ outcome: 'added' });
    expect(await spool.add({ keyId: 'aaaaaaaaaaaaaaaa', reportId: 'report-01', key: KEY_A, body: body('report-01') })).toEqual({
      outcome: 'duplicate',
    });
    // The same report id from another agent is another report.
    expect(await spool.add({ keyId: 'bbbbbbbbbbbbbbbb', reportId: 'report-01', key: KEY_B, body: body('report-01') })).toEqual({ outcome: 'added' });
    // Full: refused, and what was acknowledged stays.
    expect(await spool.add({ keyId: 'aaaaaaaaaaaaaaaa', reportId: 'report-02', key: KEY_A, body: body('report-02') })).toEqual({ outcome: 'full' });
    expect(await spool.status()).toMatchObject({ spooled: 2, dropped: 0 });

    const entries = await spool.entries();
    const opened = await Promise.all(entries.map((entry) => spool.open(entry)));
    expect(opened.map((entry) => (entry.kind === 'request' ? [entry.request.key, entry.request.reportId, entry.request.body] : entry.kind))).toEqual([
      [KEY_A, 'report-01', body('report-01')],
      [KEY_B, 'report-01', body('report-01')],
    ]);
    for (const entry of entries) {
      const text = await readFile(path.join(spool.dir, entry.file), 'utf8');
      expect(text).not.toContain('AAAAAAAAAAAAAAAA');
      expect(text).not.toContain('BBBBBBBBBBBBBBBB');
    }
    // Another secret (relay.secret replaced): the entries cannot be opened, and say so.
    const stranger = new RelaySpool(spool.dir, { maxReports: 2, maxBytes: 1024 * 1024 }, Buffer.alloc(32, 7), quota);
    expect(await stranger.open(entries[0]!)).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('cannot be unsealed') });
  });
});
