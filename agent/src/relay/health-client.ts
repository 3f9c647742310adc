// For `doctor` on an agent whose endpoint is a relay: the relay's /healthz, over the pinned connection.
import { pinnedFetch } from '../delivery/pinned-fetch.js';
import type { UplinkState } from './uplink.js';

export interface RelayHealthAnswer {
  ok: boolean;
  uplink: UplinkState;
  spooled: number;
  dropped: number;
  version: string;
}

/** The relay's origin, for an endpoint that names one (https://relay-host:8443/ingest). */
export function relayHealthUrl(endpoint: string): string {
  return new URL('/healthz', endpoint).href;
}

/** True for an endpoint that looks like a relay even without a pin (its path is the relay's /ingest). */
export function looksLikeRelay(endpoint: string): boolean {
  try {
    return new URL(endpoint).pathname === '/ingest';
  } catch {
    return false;
  }
}

export async function queryRelayHealth(
  endpoint: string,
  fingerprint: string | undefined,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<RelayHealthAnswer> {
  const fetchImpl = options.fetch ?? (fingerprint ? pinnedFetch(fingerprint) : globalThis.fetch);
  const response = await fetchImpl(relayHealthUrl(endpoint), { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), redirect: 'error' });
  const body = (await response.json().catch(() => undefined)) as Partial<RelayHealthAnswer> | undefined;
  if (!response.ok || !body || typeof body.spooled !== 'number' || typeof body.uplink !== 'string') {
    throw new Error(`${relayHealthUrl(endpoint)} answered HTTP ${response.status}, not as a Vigil relay`);
  }
  return {
    ok: body.ok === true,
    uplink: body.uplink,
    spooled: body.spooled,
    dropped: typeof body.dropped === 'number' ? body.dropped : 0,
    version: typeof body.version === 'string' ? body.version : '?',
  };
}
