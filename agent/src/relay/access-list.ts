// Which agent keys the relay forwards: the seed product's hosts file. It holds key ids only (the
// public half of a key, as the dashboard shows it), never a key. `relay allow` and `relay deny`
// edit it, `relay list` prints it, and the running relay reads it again whenever it changes.
//   denied key id                      → refused
//   allowlist not empty, id not on it  → refused
//   otherwise                          → forwarded (the cloud still checks the key itself)
// A file that cannot be parsed refuses every key (fail closed) until it is fixed.
import { KEY_ID_PATTERN } from '@vigil/schema';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const ACCESS_FILE = 'access.json';

export interface AccessList {
  allow: string[];
  deny: string[];
}

export const EMPTY_ACCESS_LIST: AccessList = { allow: [], deny: [] };

/** The key id named by a command-line argument: a key id, or a key prefix as the dashboard shows it (`vgl_<id>_…`). */
export function keyIdFromArgument(argument: string): string | undefined {
  const match = /^(?:vgl_)?([a-z2-7]{16})(?:_.*)?$/.exec(argument.trim());
  return match ? match[1] : undefined;
}

export function isKeyIdAllowed(list: AccessList, keyId: string): boolean {
  if (list.deny.includes(keyId)) return false;
  return list.allow.length === 0 || list.allow.includes(keyId);
}

export function allowKeyId(list: AccessList, keyId: string): AccessList {
  return { allow: [...new Set([...list.allow, keyId])].sort(), deny: list.deny.filter((id) => id !== keyId) };
}

export function denyKeyId(list: AccessList, keyId: string): AccessList {
  return { allow: list.allow.filter((id) => id !== keyId), deny: [...new Set([...list.deny, keyId])].sort() };
}

export class AccessListError extends Error {
  override name = 'AccessListError';
}

/** Parses the file's text; throws AccessListError when it is not a valid access list. */
export function parseAccessList(text: string): AccessList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccessListError('is not JSON');
  }
  const ids = (value: unknown, field: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' && KEY_ID_PATTERN.test(id))) {
      throw new AccessListError(`${field} must be a list of key ids`);
    }
    return [...new Set(value as string[])].sort();
  };
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AccessListError('must be {"allow": [...], "deny": [...]}');
  const { allow, deny } = parsed as { allow?: unknown; deny?: unknown };
  return { allow: ids(allow, 'allow'), deny: ids(deny, 'deny') };
}

export async function readAccessList(stateDir: string): Promise<AccessList> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, ACCESS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_ACCESS_LIST;
    throw error;
  }
  return parseAccessList(text);
}

export async function writeAccessList(stateDir: string, list: AccessList): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, ACCESS_FILE);
  const temp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  await writeFile(temp, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The access list as the running relay sees it: read again when the file changes (checked with one
 * stat per request, so `relay allow` takes effect at once), refusing everything while it is broken.
 */
export class AccessListWatcher {
  private version = '';
  private list: AccessList = EMPTY_ACCESS_LIST;
  private broken: string | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly onProblem: (reason: string) => void = () => undefined,
  ) {}

  async isAllowed(keyId: string): Promise<boolean> {
    await this.refresh();
    return this.broken === undefined && isKeyIdAllowed(this.list, keyId);
  }

  async refresh(): Promise<void> {
    const file = path.join(this.stateDir, ACCESS_FILE);
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : error));
    const version = info === undefined ? 'absent' : info instanceof Error ? 'unreadable' : `${info.ino}:${info.mtimeMs}:${info.size}`;
    if (version === this.version) return;
    this.version = version;
    try {
      this.list = await readAccessList(this.stateDir);
      this.broken = undefined;
    } catch (error) {
      this.broken = error instanceof Error ? error.message : String(error);
      this.onProblem(`${file} ${this.broken}: every key is refused until it is fixed`);
    }
  }
}
