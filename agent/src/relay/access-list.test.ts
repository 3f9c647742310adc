import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ACCESS_FILE,
  AccessListWatcher,
  allowKeyId,
  denyKeyId,
  EMPTY_ACCESS_LIST,
  isKeyIdAllowed,
  keyIdFromArgument,
  parseAccessList,
  readAccessList,
  writeAccessList,
} from './access-list.js';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

describe('access list rules', () => {
  it('forwards every key while the allowlist is empty, except denied ones', () => {
    expect(isKeyIdAllowed(EMPTY_ACCESS_LIST, A)).toBe(true);
    expect(isKeyIdAllowed(denyKeyId(EMPTY_ACCESS_LIST, A), A)).toBe(false);
    expect(isKeyIdAllowed(denyKeyId(EMPTY_ACCESS_LIST, A), B)).toBe(true);
  });

  it('forwards only allowed keys once anything is allowed; allow and deny undo each other', () => {
    const list = allowKeyId(EMPTY_ACCESS_LIST, A);
    expect(isKeyIdAllowed(list, A)).toBe(true);
    expect(isKeyIdAllowed(list, B)).toBe(false);
    const denied = denyKeyId(list, A);
    expect(denied).toEqual({ allow: [], deny: [A] });
    expect(allowKeyId(denied, A)).toEqual({ allow: [A], deny: [] });
    expect(allowKeyId(allowKeyId(EMPTY_ACCESS_LIST, A), A)).toEqual({ allow: [A], deny: [] });
  });

  it('takes a key id, or the key prefix the dashboard shows, and never keeps more than the id', () => {
    expect(keyIdFromArgument(A)).toBe(A);
    expect(keyIdFromArgument(`vgl_${A}_…`)).toBe(A);
    expect(keyIdFromArgument(`vgl_${A}_${'S'.repeat(43)}`)).toBe(A);
    expect(keyIdFromArgument('AAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(keyIdFromArgument('short')).toBeUndefined();
    expect(keyIdFromArgument('aaaaaaaaaaaaaaa1')).toBeUndefined();
  });

  it('refuses a file that is not an access list', () => {
    expect(() => parseAccessList('nope')).toThrow('is not JSON');
    expect(() => parseAccessList('[]')).toThrow('must be {"allow": [...], "deny": [...]}');
    expect(() => parseAccessList('{"allow": ["vgl_secret"]}')).toThrow('allow must be a list of key ids');
    expect(parseAccessList(`{"deny": ["${B}", "${B}"]}`)).toEqual({ allow: [], deny: [B] });
  });
});

describe('the access list file', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(tmpdir(), 'vigil-access-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips, holds key ids only, and is private', async () => {
    expect(await readAccessList(dir)).toEqual(EMPTY_ACCESS_LIST);
    await writeAccessList(dir, allowKeyId(EMPTY_ACCESS_LIST, A));
    expect(await readAccessList(dir)).toEqual({ allow: [A], deny: [] });
    expect(JSON.parse(await readFile(path.join(dir, ACCESS_FILE), 'utf8'))).toEqual({ allow: [A], deny: [] });
    const { stat } = await import('node:fs/promises');
    expect((await stat(path.join(dir, ACCESS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('is read again by the running relay when it changes, and refuses everything while broken', async () => {
    const problems: string[] = [];
    const watcher = new AccessListWatcher(dir, (reason) => problems.push(reason));
    expect(await watcher.isAllowed(A)).toBe(true);
    await writeAccessList(dir, denyKeyId(EMPTY_ACCESS_LIST, A));
    expect(await watcher.isAllowed(A)).toBe(false);
    expect(await watcher.isAllowed(B)).toBe(true);
    await writeFile(path.join(dir, ACCESS_FILE), '{"allow": [');
    expect(await watcher.isAllowed(B)).toBe(false);
    expect(problems).toEqual([expect.stringContaining('is not JSON: every key is refused until it is fixed')]);
    await writeAccessList(dir, EMPTY_ACCESS_LIST);
    expect(await watcher.isAllowed(B)).toBe(true);
  });
});
