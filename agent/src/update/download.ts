// Downloads an offered bundle and keeps it only when it is exactly what the offer named:
//   the URL: the offer's (https, or http to this machine unless allow_insecure_http), or behind a
//   relay (relay_fingerprint) the relay's RELAY_BUNDLE_PATH on the endpoint's origin, through the
//   pinned fetch (the relay fetches the bundle of the newest offer it passed on: never a URL an
//   agent names);
//   the body streams into a new private file (O_EXCL, 0600) in the bundle's own directory, hashed
//   as it goes and cut off past MAX_BUNDLE_BYTES; fsync; then its SHA-256 must be the offer's, and
//   only then is it renamed to vigil-agent.mjs. Any failure removes the temporary file and leaves
//   everything else as it was (the launcher reads nothing of it until the state names it).
import { INSECURE_HTTP_MESSAGE, isInsecureHttpUrl, RELAY_BUNDLE_PATH, type AgentUpdateOffer } from '@vigil/schema';
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CREATE_NEW_NO_FOLLOW, ensurePrivateDir } from '../delivery/private-dir.js';
import { bundleDirIn, bundleFileIn } from './update-state.js';

/** The agent is under 1 MiB (build.test.ts); anything near this is not an agent bundle. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
export const DOWNLOAD_TIMEOUT_MS = 120_000;

export class UpdateError extends Error {
  override name = 'UpdateError';
}

export interface BundleSource {
  endpoint: string;
  relayFingerprint: string | undefined;
  allowInsecureHttp: boolean;
}

/** Where to download the offered bundle from, or an UpdateError saying why not. */
export function bundleUrlFor(source: BundleSource, offer: AgentUpdateOffer): string {
  if (source.relayFingerprint) return new URL(RELAY_BUNDLE_PATH, new URL(source.endpoint).origin).href;
  let url: URL;
  try {
    url = new URL(offer.url);
  } catch {
    throw new UpdateError('the offered URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UpdateError(`the offered URL is not https:// (${url.protocol})`);
  if (url.username || url.password) throw new UpdateError('the offered URL carries credentials');
  if (!source.allowInsecureHttp && isInsecureHttpUrl(url.href)) throw new UpdateError(`the offered URL is ${INSECURE_HTTP_MESSAGE}`);
  return url.href;
}

export interface DownloadOptions {
  url: string;
  offer: AgentUpdateOffer;
  updateDir: string;
  fetch: typeof fetch;
  maxBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

function short(hex: string): string {
  return `${hex.slice(0, 12)}…`;
}

/** Downloads and verifies the bundle; returns its file. Throws UpdateError (or the abort reason) and leaves nothing behind. */
export async function downloadBundle(options: DownloadOptions): Promise<string> {
  const { url, offer, updateDir } = options;
  const maxBytes = options.maxBytes ?? MAX_BUNDLE_BYTES;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  const signal = eitherOf(timeout, options.signal);
  await ensurePrivateDir(updateDir);
  const dir = bundleDirIn(updateDir, offer.sha256);
  await ensurePrivateDir(dir);

  let response: Response;
  try {
    response = await options.fetch(url, { redirect: 'error', signal });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new UpdateError(
      timeout.aborted ? 'the download did not finish in time' : `the download failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
    );
  }
  if (response.status !== 200) throw new UpdateError(`the download answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new UpdateError(`the bundle is larger than ${maxBytes} bytes`);
  if (!response.body) throw new UpdateError('the download has no body');

  const temporary = path.join(dir, `.download-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, CREATE_NEW_NO_FOLLOW, 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let kept = false;
  try {
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) throw new UpdateError(`the bundle is larger than ${maxBytes} bytes`);
        hash.update(chunk);
        await handle.write(chunk);
      }
      await handle.sync();
    } catch (error) {
      if (error instanceof UpdateError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      throw new UpdateError(timeout.aborted ? 'the download did not finish in time' : `the download broke off: ${(error as Error).message}`);
    } finally {
      await handle.close();
    }
    if (bytes === 0) throw new UpdateError('the download is empty');
    const sha256 = hash.digest('hex');
    if (sha256 !== offer.sha256) throw new UpdateError(`its SHA-256 is ${short(sha256)}, not ${short(offer.sha256)} as offered`);
    const file = bundleFileIn(updateDir, offer.sha256);
    await rename(temporary, file);
    kept = true;
    await syncDirectory(dir);
    return file;
  } finally {
    if (!kept) await unlink(temporary).catch(() => undefined);
  }
}

/** AbortSignal.any, which Node 18 lacks. */
function eitherOf(first: AbortSignal, second: AbortSignal | undefined): AbortSignal {
  if (!second) return first;
  const controller = new AbortController();
  const abort = (source: AbortSignal) => () => controller.abort(source.reason);
  if (first.aborted || second.aborted) controller.abort((first.aborted ? first : second).reason);
  first.addEventListener('abort', abort(first), { once: true });
  second.addEventListener('abort', abort(second), { once: true });
  return controller.signal;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is atomic.
  } finally {
    await handle.close();
  }
}
