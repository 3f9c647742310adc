// Where an agent enrolls, derived from where it reports, so an installer needs one URL only:
//   the cloud:  …/ingestReport  →  …/enrollAgent   (the callable beside it, same project and region)
//   a relay:    https://relay:8443/ingest  →  https://relay:8443/enroll   (the relay forwards it)
// The relay derives its uplink's enrollAgent the same way (relay/enroll-forward.ts).

/** The relay's routes: reports, and enrollments it forwards to its uplink's enrollAgent. */
export const RELAY_INGEST_ROUTE = '/ingest';
export const RELAY_ENROLL_ROUTE = '/enroll';

const INGEST_FUNCTION = 'ingestReport';
const ENROLL_FUNCTION = 'enrollAgent';

export class EnrollUrlError extends Error {
  override name = 'EnrollUrlError';
}

/** The URL of enrollAgent for an ingest endpoint (the cloud's or a relay's); throws EnrollUrlError for anything else. */
export function enrollUrlFor(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EnrollUrlError(`--endpoint is not a URL: ${JSON.stringify(endpoint.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EnrollUrlError(`--endpoint must be an https:// URL, not ${url.protocol}//`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new EnrollUrlError('--endpoint must be a plain URL (no query, fragment or credentials)');
  }
  const segments = url.pathname.split('/');
  const last = segments.at(-1);
  if (last === INGEST_FUNCTION) {
    segments[segments.length - 1] = ENROLL_FUNCTION;
  } else if (url.pathname === RELAY_INGEST_ROUTE) {
    segments[segments.length - 1] = RELAY_ENROLL_ROUTE.slice(1);
  } else {
    throw new EnrollUrlError(
      `--endpoint must be the ingestReport function (https://…/ingestReport) or a relay (https://HOST:PORT${RELAY_INGEST_ROUTE}), not ${url.origin}${url.pathname}`,
    );
  }
  url.pathname = segments.join('/');
  return url.href;
}
