// Where an agent fetches its rotated key, derived from where it reports (as enroll-url.ts does):
//   the cloud:  …/ingestReport  →  …/fetchAgentKey   (the callable beside it)
//   a relay:    https://relay:8443/ingest  →  https://relay:8443/agent-key   (the relay forwards it
//               to its uplink's fetchAgentKey: relay/key-forward.ts)
import { RELAY_INGEST_ROUTE } from '../enroll/enroll-url.js';

/** The relay's route for a key fetch it forwards. */
export const RELAY_KEY_ROUTE = '/agent-key';

const INGEST_FUNCTION = 'ingestReport';
const FETCH_KEY_FUNCTION = 'fetchAgentKey';

/** The URL of fetchAgentKey for an ingest endpoint (the cloud's or a relay's), or undefined for anything else. */
export function fetchKeyUrlFor(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) return undefined;
  if (url.pathname === RELAY_INGEST_ROUTE) {
    url.pathname = RELAY_KEY_ROUTE;
    return url.href;
  }
  const segments = url.pathname.split('/');
  if (segments.at(-1) !== INGEST_FUNCTION) return undefined;
  segments[segments.length - 1] = FETCH_KEY_FUNCTION;
  url.pathname = segments.join('/');
  return url.href;
}
