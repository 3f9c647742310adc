// Enrollment token material: generated from the CSPRNG, stored as SHA-256 of the secret (the same
// hashing and constant-time check as agent keys, agents/api-keys.ts). The format is in
// @vigil/schema (enrollment.ts).
import { formatEnrollmentToken, type ParsedEnrollmentToken } from '@vigil/schema';
import { randomBytes } from 'node:crypto';
import { base32, hashSecret } from '../agents/api-keys.js';

export interface NewEnrollmentToken extends ParsedEnrollmentToken {
  token: string;
  hash: string;
}

/** A token id of 10 random bytes (16 base32 characters) and a secret of 32 (43 base64url characters). */
export function generateEnrollmentToken(random: (size: number) => Uint8Array = randomBytes): NewEnrollmentToken {
  const tokenId = base32(random(10));
  const secret = Buffer.from(random(32)).toString('base64url');
  return { tokenId, secret, token: formatEnrollmentToken({ tokenId, secret }), hash: hashSecret(secret) };
}
