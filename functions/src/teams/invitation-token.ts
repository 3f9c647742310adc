// The secret of an invitation link: 32 bytes from the CSPRNG in base64url (43 characters). Only its
// SHA-256 is stored (invitations/{id}.tokenHash), so a reader of the database cannot accept on the
// invitee's behalf; the check compares the two digests in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newInvitationToken(random: (size: number) => Uint8Array = randomBytes): { token: string; tokenHash: string } {
  const token = Buffer.from(random(32)).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

/** True when `token` is the one whose hash is stored; false for anything else, malformed included. */
export function invitationTokenMatches(token: string, storedHash: unknown): boolean {
  if (typeof storedHash !== 'string' || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  const presented = Buffer.from(hashInvitationToken(token), 'hex');
  return timingSafeEqual(presented, Buffer.from(storedHash, 'hex'));
}
