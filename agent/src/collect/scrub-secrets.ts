// The last line of defence for what leaves the host: every string of every solution in a report
// (configuration values, version, test messages, error messages) passes through scrubSecrets in
// fit-to-limits.ts, whichever plugin wrote it. The plugins report allowlisted settings only, but a
// tool's own output (a failing `vector validate`, a certbot hook's error) can quote anything the
// tool was given, and a setting's value can carry a credential (a URL with `user:password@`).
//
// Unlike scrubErrorText of @vigil/schema (crash reports), e-mail addresses stay: an account e-mail
// (certbot's `email`) or a report recipient is a setting the administrator chose and wants to see.

const REDACTED = '[redacted]';

/**
 * Words that make a `name=value` or `name: value` a secret when the name ends with one of them,
 * after any prefix (`dbPassword`, `dns-foo-api-key`, `LOKI_API_TOKEN`)...
 */
const SECRET_NAME_ENDINGS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'api[-_]?key',
  'access[-_]?key',
  'private[-_]?key',
  'hmac[-_]?key',
  'auth[-_]?key',
  'credentials?',
].join('|');
/** ...and these only as the whole name or after a separator (`db_pass`, not `bypass`). */
const SECRET_NAME_WORDS = ['pass', 'pwd', 'sig', 'signature', 'key', 'auth'].join('|');

/** The value after the `=` or `:`: quoted (also unterminated, as a cut text leaves it), or one word. */
const VALUE = `"[^"]{0,512}(?:"|$)|'[^']{0,512}(?:'|$)|[^\\s&,;"'<>()\\[\\]{}]+`;
/** Between a name and its value: an optional closing quote of the name, `=` or `:`, spaces. */
const ASSIGN = `["']?\\s{0,8}[=:]\\s{0,8}`;

const SCRUBBERS: [RegExp, string][] = [
  // PEM private keys, whole.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // Vigil agent keys.
  [/\bvgl_[A-Za-z0-9_-]{8,}/g, `vgl_${REDACTED}`],
  // user:password@ (or a lone token@) in any URL, up to the host's @: a password may hold an @ too.
  [/\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#]+@/gi, `$1${REDACTED}@`],
  // A bearer token anywhere; a whole Authorization header value, whatever its scheme.
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\b(authorization["']?\s{0,8}[=:]\s{0,8}["']?)(?:(?:bearer|basic|token|digest|negotiate)\s+)?[^\s"',;()]+/gi, `$1${REDACTED}`],
  // Well-known token shapes: JWTs, GitHub, Slack, AWS access key ids, Grafana Cloud.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/\bgl(?:c|sa)_[A-Za-z0-9+/=_-]{8,}/g, REDACTED],
  // name=value and name: value (also quoted, also in a query string): `password=…`,
  // `dns-foo-api-key = …`, `"client_secret": "…"`, `?api_key=…&sig=…`. The name must end there
  // (`PasswordAuthentication yes` stays), and its prefix is bounded so a long word costs linear time.
  [new RegExp(`((?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,64}?(?:${SECRET_NAME_ENDINGS})${ASSIGN})(${VALUE})`, 'gi'), `$1${REDACTED}`],
  [new RegExp(`((?<![A-Za-z0-9])(?:[A-Za-z0-9_.-]{0,64}?[-_.])?(?:${SECRET_NAME_WORDS})${ASSIGN})(${VALUE})`, 'gi'), `$1${REDACTED}`],
  // A command-line option and its value, as a tool's error quotes its own command: `--password VALUE`.
  [new RegExp(`((?<![A-Za-z0-9-])--?[A-Za-z0-9_.-]{0,64}?(?:${SECRET_NAME_ENDINGS})\\s{1,8})(?!-)(${VALUE})`, 'gi'), `$1${REDACTED}`],
];

/** The text with every credential it appears to hold replaced by `[redacted]`. */
export function scrubSecrets(text: string): string {
  return SCRUBBERS.reduce((clean, [pattern, replacement]) => clean.replace(pattern, replacement), text);
}
