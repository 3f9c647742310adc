// Key material for agents: generated from the CSPRNG, stored as SHA-256 of the secret, compared in
// constant time. The format itself is in @vigil/schema (api-key.ts).
import { formatApiKey, type ParsedApiKey } from '@vigil/schema';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding. 10 bytes make exactly 16 characters. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

export interface NewApiKey extends ParsedApiKey {
  key: string;
  hash: string;
}

export function generateApiKey(random: (size: number) => Uint8Array = randomBytes): NewApiKey {
  const keyId = base32(random(10));
  const secret = Buffer.from(random(32)).toString('base64url');
  return { keyId, secret, key: formatApiKey({ keyId, secret }), hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time check of a presented secret against a stored hash (both hashes are 32 bytes). */
export function secretMatches(secret: string, storedHash: unknown): boolean {
  if (typeof storedHash !== 'string' || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(presented, Buffer.from(storedHash, 'hex'));
}
