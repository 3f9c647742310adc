// Agent keys waiting in the relay's spool are sealed: AES-256-GCM under a random secret that lives in
// the relay's state directory (mode 0600), with the key id and report id as associated data, so a
// sealed key cannot be moved to another spooled report. This protects the keys from whoever reads the
// spool (a backup, a copied disk image); whoever can read the secret file too can unseal them. Keys
// are never written anywhere else: a forwarded report's key lives only in memory for its request.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export const SECRET_FILE = 'relay.secret';
const SECRET_BYTES = 32;
const IV_BYTES = 12;

export interface SealedKey {
  iv: string;
  tag: string;
  data: string;
}

export function sealKey(secret: Buffer, key: string, associated: string): SealedKey {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const data = Buffer.concat([cipher.update(key, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
}

/** The key, or undefined when the secret, the associated data or the sealed bytes do not match. */
export function unsealKey(secret: Buffer, sealed: SealedKey, associated: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Reads the relay's secret, creating it (0600) the first time; a looser mode is tightened. */
export async function loadOrCreateSecret(stateDir: string): Promise<Buffer> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, SECRET_FILE);
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(SECRET_BYTES).toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const info = await stat(file);
  if (info.mode & 0o077) await chmod(file, 0o600);
  const secret = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (secret.length !== SECRET_BYTES) throw new Error(`${file} does not hold a relay secret (32 bytes in base64); remove it to make a new one`);
  return secret;
}
