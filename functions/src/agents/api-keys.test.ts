import { parseApiKey } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { base32, generateApiKey, hashSecret, secretMatches } from './api-keys.js';

describe('base32', () => {
  it('matches RFC 4648 test vectors (lower case, no padding)', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'my'],
      ['fo', 'mzxq'],
      ['foo', 'mzxw6'],
      ['foob', 'mzxw6yq'],
      ['fooba', 'mzxw6ytb'],
      ['foobar', 'mzxw6ytboi'],
    ];
    for (const [input, output] of vectors) expect(base32(Buffer.from(input))).toBe(output);
  });
});

describe('generateApiKey', () => {
  it('makes keys in the Vigil format whose hash is of the secret only', () => {
    const generated = generateApiKey();
    expect(parseApiKey(generated.key)).toEqual({ keyId: generated.keyId, secret: generated.secret });
    expect(generated.hash).toBe(hashSecret(generated.secret));
    expect(generated.hash).not.toContain(generated.secret);
  });

  it('draws every key from fresh random bytes', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('uses the random source it is given, 10 bytes for the id and 32 for the secret', () => {
    const sizes: number[] = [];
    const generated = generateApiKey((size) => {
      sizes.push(size);
      return new Uint8Array(size).fill(0xff);
    });
    expect(sizes).toEqual([10, 32]);
    expect(generated.keyId).toBe('7'.repeat(16));
  });
});

describe('secretMatches', () => {
  const { secret, hash } = generateApiKey();

  it('accepts the right secret', () => {
    expect(secretMatches(secret, hash)).toBe(true);
  });

  it('refuses a wrong secret, a malformed hash and a missing hash', () => {
    expect(secretMatches(`${secret.slice(0, -1)}A`, hash)).toBe(secret.endsWith('A'));
    expect(secretMatches(generateApiKey().secret, hash)).toBe(false);
    expect(secretMatches(secret, hash.toUpperCase())).toBe(false);
    expect(secretMatches(secret, 'abc')).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
  });
});
