import { parseApiKey, parseEnrollmentToken } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { hashSecret, secretMatches } from '../agents/api-keys.js';
import { generateEnrollmentToken } from './enrollment-token.js';

describe('generateEnrollmentToken', () => {
  it('makes a vgle_ token whose parts parse back, with only the hash to store', () => {
    const generated = generateEnrollmentToken();
    expect(generated.token).toMatch(/^vgle_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseEnrollmentToken(generated.token)).toEqual({ tokenId: generated.tokenId, secret: generated.secret });
    expect(parseApiKey(generated.token)).toBeUndefined();
    expect(generated.hash).toBe(hashSecret(generated.secret));
    expect(generated.hash).not.toContain(generated.secret);
  });

  it('draws the id and the secret from the random source (10 and 32 bytes)', () => {
    const sizes: number[] = [];
    const generated = generateEnrollmentToken((size) => {
      sizes.push(size);
      return new Uint8Array(size).fill(sizes.length);
    });
    expect(sizes).toEqual([10, 32]);
    expect(generated.secret).toBe(Buffer.alloc(32, 2).toString('base64url'));
  });

  it('is verified against its stored hash in constant time, and a wrong secret fails', () => {
    const generated = generateEnrollmentToken();
    expect(secretMatches(generated.secret, generated.hash)).toBe(true);
    expect(secretMatches(generateEnrollmentToken().secret, generated.hash)).toBe(false);
    expect(secretMatches(generated.secret, undefined)).toBe(false);
  });

  it('never repeats itself', () => {
    const ids = new Set(Array.from({ length: 200 }, () => generateEnrollmentToken().tokenId));
    expect(ids.size).toBe(200);
  });
});
