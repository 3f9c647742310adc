// Where an agent fetches its rotated key, derived from where it reports (as enroll-url.ts does):
//   the cloud:  …/ingestReport  →  …/fetchAgentKey   (the callable beside it)
//   a relay:    none yet: the relay forwards no key fetch, so an agent behind one keeps its key
//               (the server keeps asking; nothing breaks) until the relay learns the route.

const INGEST_FUNCTION = 'ingestReport';
const FETCH_KEY_FUNCTION = 'fetchAgentKey';

/** The URL of fetchAgentKey for an ingest endpoint, or undefined where there is none (a relay, anything else). */
export function fetchKeyUrlFor(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) return undefined;
  const segments = url.pathname.split('/');
  if (segments.at(-1) !== INGEST_FUNCTION) return undefined;
  segments[segments.length - 1] = FETCH_KEY_FUNCTION;
  url.pathname = segments.join('/');
  return url.href;
}
