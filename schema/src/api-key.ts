// The agent API key: `vgl_<keyId>_<secret>`.
// - the fixed `vgl_` prefix lets secret scanners find leaked keys;
// - the key id (16 base32 characters, 80 random bits) finds `agentKeys/{keyId}` in one read;
// - the secret is 32 CSPRNG bytes in base64url (43 characters); only its SHA-256 is stored.
// Generation and hashing need a CSPRNG and live in functions/; this module only knows the format.
import { z } from 'zod';

export const API_KEY_PREFIX = 'vgl_';
export const API_KEY_PATTERN = /^vgl_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;
export const KEY_ID_PATTERN = /^[a-z2-7]{16}$/;

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

/** Returns the key's parts, or undefined for anything that is not exactly a Vigil key. */
export function parseApiKey(key: unknown): ParsedApiKey | undefined {
  if (typeof key !== 'string') return undefined;
  const match = API_KEY_PATTERN.exec(key.trim());
  if (!match) return undefined;
  return { keyId: match[1]!, secret: match[2]! };
}

export function formatApiKey({ keyId, secret }: ParsedApiKey): string {
  const key = `${API_KEY_PREFIX}${keyId}_${secret}`;
  if (!API_KEY_PATTERN.test(key)) throw new Error('key id or secret has the wrong format');
  return key;
}

/** What the dashboard may show of a key: the prefix and key id, never any of the secret. */
export function displayKeyPrefix(keyId: string): string {
  return `${API_KEY_PREFIX}${keyId}_…`;
}

export const keyIdSchema = z.string().regex(KEY_ID_PATTERN, 'must be a Vigil key id');
