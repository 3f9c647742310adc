import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './scrub-secrets.js';

describe('scrubSecrets', () => {
  it.each([
    ['https://elastic:s3cret@es:9200/_bulk', 'https://[redacted]@es:9200/_bulk'],
    ['redis://:s3cret@cache:6379 and ssh://tok3n@git.example', 'redis://[redacted]@cache:6379 and ssh://[redacted]@git.example'],
    ['password=s3cret user=bob', 'password=[redacted] user=bob'],
    ['dbPassword: "two words" next', 'dbPassword: [redacted] next'],
    ['dns-foo-api-key = s3cret', 'dns-foo-api-key = [redacted]'],
    ['dns-cloudflare-api-token=s3cret', 'dns-cloudflare-api-token=[redacted]'],
    ['eab-hmac-key: s3cret', 'eab-hmac-key: [redacted]'],
    ['{"client_secret":"s3cret","id":"x"}', '{"client_secret":[redacted],"id":"x"}'],
    ['https://h/x?api_key=s3cret&page=2&sig=abc', 'https://h/x?api_key=[redacted]&page=2&sig=[redacted]'],
    ['https://maps/x?key=AIzaS3cret', 'https://maps/x?key=[redacted]'],
    ['Authorization: Bearer s3cretBearerToken', 'Authorization: [redacted]'],
    ['header "Authorization: Token s3cret" sent', 'header "Authorization: [redacted]" sent'],
    ['(Authorization: Bearer s3cretBearerToken) sent', '(Authorization: [redacted]) sent'],
    ['curl -H "X: y" bearer abcdefgh12345678', 'curl -H "X: y" bearer [redacted]'],
    ['LOKI_API_TOKEN=glc_abcdefghijkl', 'LOKI_API_TOKEN=[redacted]'],
    ['token glc_abcdefghijklmnop in text', 'token [redacted] in text'],
    ['key vgl_abcdefghijklmnop_SECRET here', 'key vgl_[redacted] here'],
    ['jwt eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4', 'jwt [redacted]'],
    ['AKIAABCDEFGHIJKLMNOP', '[redacted]'],
    ['password="unterminated s3cret', 'password=[redacted]'],
    ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', '[redacted]'],
    // A password with an @ in it: all of the userinfo goes, up to the host's @.
    ['https://elastic:p@ss@es:9200', 'https://[redacted]@es:9200'],
    // A tool's error quoting its own command line: `--name VALUE`.
    ['failed: mysqldump --password s3cret --user bob', 'failed: mysqldump --password [redacted] --user bob'],
    ['run --api-key "two words" now', 'run --api-key [redacted] now'],
  ])('%s', (input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });

  it.each([
    'PasswordAuthentication yes',
    'passwordauthentication: no',
    'PermitEmptyPasswords no',
    'notifications.telegram.token is empty',
    'Missing environment variable in config. name = "LOKI_API_TOKEN"',
    'Basic authentication is enabled',
    'key-type = ecdsa',
    'email = admin@example.org',
    'https://acme-v02.api.letsencrypt.org/directory',
    'bypass=1 compass: north',
    'rules are 3 days old (/var/lib/suricata/rules/suricata.rules)',
    'sink.loki.endpoint',
    'ssh --password-authentication yes',
  ])('leaves %s alone', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  it('takes linear time on a long word', () => {
    const started = performance.now();
    scrubSecrets(`${'a'.repeat(5000)}password`.repeat(20));
    scrubSecrets('x-'.repeat(50_000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
