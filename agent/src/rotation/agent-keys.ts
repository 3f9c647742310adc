// The agent's key, and its rotation without re-enrolment (docs/agent.md, "Key rotation"). When an
// ingest reply says `rotateKey: true`, the agent fetches its new key (fetchAgentKey, with the key
// the reply answered) and switches to it for the next report; the server accepts both until the
// first report made with the new one, which retires the old one.
//
// On disk, with key_file: the old key is first saved to `<key_file>.previous`, then the new key
// replaces the key file (each write atomic: temp file, fsync, rename, enroll/atomic-write.ts). The
// previous key goes once the new one is accepted; if the new one is refused (unused for 24 h after
// its fetch, or a dashboard rotation meanwhile), the previous one goes back into the key file and
// the report is sent again with it. A restart at any point loses nothing and ends rotated:
//   - fetched, nothing written: the old key still works and the next reply asks again (the server
//     then issues a fresh key and revokes the lost one);
//   - `.previous` written, key file not: both hold the old key; the duplicate `.previous` is removed;
//   - both written, new key not used yet: the next report goes with the new key (the key file's,
//     which the config loaded), `.previous` kept until it is accepted.
// With an inline key (`key:` or VIGIL_KEY) there is nowhere to keep a new key: the agent says so
// once and keeps its key, which keeps working (the server asks again at every report).
// The keys go into the key file, the `.previous` file and one header: never into a log line.
import { readFile, unlink } from 'node:fs/promises';
import { displayKeyPrefix, parseApiKey } from '@vigil/schema';
import { writeFileAtomic } from '../enroll/atomic-write.js';
import type { Logger } from '../log.js';
import { fetchNewKey } from './fetch-key.js';

export interface AgentKeys {
  /** The key the next request goes with. */
  current(): Promise<string>;
  /** Every key this process has held (for redaction). */
  known(): string[];
  /** After a reply that accepted `usedKey`; `rotateKey` is the reply's flag. */
  accepted(usedKey: string, rotateKey: boolean): Promise<void>;
  /** After `usedKey` was refused: true when another key is now current (send again with it). */
  refused(usedKey: string): Promise<boolean>;
}

export interface KeyFileOptions {
  keyFile: string;
  /** The key the config read from the key file at start. */
  key: string;
  /** fetchAgentKey's URL (key-url.ts), undefined where the endpoint has none. */
  fetchUrl: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
}

const KEY_MODE = 0o600;

/** Where the key a rotation replaced waits until the new one is accepted. */
export function previousKeyFile(keyFile: string): string {
  return `${keyFile}.previous`;
}

function prefixOf(key: string): string {
  const parsed = parseApiKey(key);
  return parsed ? displayKeyPrefix(parsed.keyId) : '(not a Vigil key)';
}

/** A key that cannot rotate (inline in the config or the environment): a rotation request is noted once. */
export function fixedKeys(key: string, log: Logger): AgentKeys {
  let told = false;
  return {
    current: () => Promise.resolve(key),
    known: () => [key],
    accepted(_usedKey, rotateKey) {
      if (rotateKey && !told) {
        told = true;
        log.warn(
          'the server asks this agent to rotate its key, but the key is inline (key: or VIGIL_KEY), so there is nowhere to keep a new one; move it to key_file to let the agent rotate it',
        );
      }
      return Promise.resolve();
    },
    refused: () => Promise.resolve(false),
  };
}

export function keyFileKeys(options: KeyFileOptions): AgentKeys {
  const { keyFile, log } = options;
  const previousFile = previousKeyFile(keyFile);
  let current = options.key;
  let previous: string | undefined;
  const known = new Set([current]);
  let loaded: Promise<void> | undefined;
  let toldNoUrl = false;

  async function removePrevious(): Promise<void> {
    previous = undefined;
    await unlink(previousFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') log.error('could not remove the previous agent key file', { file: previousFile, reason: error.message });
    });
  }

  /** Reads `.previous` once: a rotation a restart interrupted after the new key was stored. */
  function load(): Promise<void> {
    loaded ??= (async () => {
      const text = await readFile(previousFile, 'utf8').catch(() => undefined);
      const key = text?.trim();
      if (key === undefined) return;
      if (!parseApiKey(key) || key === current) {
        // Written just before the key file was, or damaged: nothing to fall back to.
        await removePrevious();
        return;
      }
      previous = key;
      known.add(key);
      log.info('a key rotation is under way: reporting with the new key, keeping the previous one until it is accepted', {
        keyPrefix: prefixOf(current),
      });
    })();
    return loaded;
  }

  async function rotate(usedKey: string): Promise<void> {
    if (!options.fetchUrl) {
      if (!toldNoUrl)
        log.warn('the server asks this agent to rotate its key, but its endpoint has no key fetch beside it (key-url.ts); it keeps its key');
      toldNoUrl = true;
      return;
    }
    const answer = await fetchNewKey({ fetch: options.fetch, url: options.fetchUrl, key: usedKey, timeoutMs: options.timeoutMs });
    if (!answer.ok) {
      log.warn('could not fetch the new agent key; the current one keeps working and the next report tries again', {
        reason: answer.message.split(usedKey).join('[redacted]'),
      });
      return;
    }
    known.add(answer.key);
    try {
      // The old key first: once the key file holds the new one, the old one is always on disk too.
      await writeFileAtomic(previousFile, `${usedKey}\n`, KEY_MODE);
      await writeFileAtomic(keyFile, `${answer.key}\n`, KEY_MODE);
    } catch (error) {
      // The key file still holds the old key, which still works: the next reply asks again.
      log.error('could not store the new agent key; keeping the current one', { file: keyFile, reason: (error as Error).message });
      await removePrevious();
      return;
    }
    previous = usedKey;
    current = answer.key;
    log.info('fetched a new agent key; the next report uses it', { keyPrefix: prefixOf(current), previousKeyPrefix: prefixOf(usedKey) });
  }

  return {
    async current() {
      await load();
      return current;
    },
    known: () => [...known],
    async accepted(usedKey, rotateKey) {
      await load();
      if (usedKey !== current) return;
      if (previous !== undefined) {
        log.info('the new agent key was accepted; the rotation is complete', { keyPrefix: prefixOf(current) });
        await removePrevious();
      }
      if (rotateKey) await rotate(usedKey);
    },
    async refused(usedKey) {
      await load();
      if (usedKey !== current || previous === undefined) return false;
      const back = previous;
      current = back;
      previous = undefined;
      try {
        await writeFileAtomic(keyFile, `${back}\n`, KEY_MODE);
      } catch (error) {
        // `.previous` stays: after a restart the refused key is tried, refused, and this repeats.
        log.error('could not put the previous agent key back into the key file', { file: keyFile, reason: (error as Error).message });
        return true;
      }
      log.warn('the new agent key was refused; back to the previous one (the server asks again if a rotation is still wanted)', {
        refusedKeyPrefix: prefixOf(usedKey),
        keyPrefix: prefixOf(back),
      });
      await removePrevious();
      return true;
    },
  };
}
