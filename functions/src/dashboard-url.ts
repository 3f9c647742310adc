// DASHBOARD_URL is where install commands fetch install.sh and where every email links: a wrong
// value sends people (and root's curl) somewhere else. Deployed, it must be a public https URL;
// only the emulator may link to a local http dashboard. Pure.

export class DashboardUrlError extends Error {
  constructor(detail: string) {
    super(
      `DASHBOARD_URL ${detail} Set it to the dashboard's public https URL (functions/.env.<project id>, or answer the prompt of \`firebase deploy\`).`,
    );
    this.name = 'DashboardUrlError';
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/** The URL without trailing slashes, or a DashboardUrlError saying what is wrong with it. */
export function checkedDashboardUrl(raw: string, emulator: boolean): string {
  const value = raw.trim().replace(/\/+$/, '');
  if (!value) throw new DashboardUrlError('is not set.');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DashboardUrlError(`is not a URL: "${value}".`);
  }
  const allowed = emulator ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) throw new DashboardUrlError(`must be ${emulator ? 'an http(s)' : 'an https'} URL, not "${url.protocol}".`);
  if (url.username || url.password) throw new DashboardUrlError('must not carry credentials.');
  if (url.search || url.hash) throw new DashboardUrlError('must have no query or fragment.');
  if (!emulator && (LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'))) {
    throw new DashboardUrlError(`points at a local address (${url.hostname}), which no one else can open.`);
  }
  return value;
}
