import { describe, expect, it } from 'vitest';
import { agentConfigFileSchema, agentConfigIssues, closestName, AGENT_CONFIG_DEFAULTS } from './agent-config.js';
import { SOLUTION_CATALOG } from './solutions.js';

const KEY = `vgl_abcdefghijklmnop_${'A'.repeat(43)}`;
const minimal = { endpoint: 'https://us-central1-demo.cloudfunctions.net/ingestReport', key: KEY };

function problems(input: unknown): string[] {
  const result = agentConfigFileSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : agentConfigIssues(result.error).map(({ path, message }) => `${path}: ${message}`);
}

describe('agentConfigFileSchema', () => {
  it('fills every default from the minimal config', () => {
    expect(agentConfigFileSchema.parse(minimal)).toEqual({
      ...minimal,
      ...AGENT_CONFIG_DEFAULTS,
      skip_solutions: [],
      solutions: {},
      hide_host_details: [],
    });
  });

  it('accepts a complete config', () => {
    const full = {
      endpoint: 'http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport',
      key_file: '/etc/vigil/key',
      interval_seconds: 60,
      allow_state_changes: true,
      skip_solutions: ['crowdsec', 'unattended-upgrades'],
      solutions: { clamav: { maxSignatureAgeDays: 3 }, certbot: { minDaysBeforeExpiry: 14 } },
      spool_dir: '/var/lib/vigil/spool',
      spool_max_reports: 10,
      spool_max_bytes: 262_144,
      plugin_timeout_seconds: 30,
      log_level: 'debug',
      hide_host_details: ['hostname', 'kernel'],
      send_agent_health: false,
      error_reporting_dsn: 'https://0123abcd@sentry.example.com/42',
      allow_insecure_http: true,
      auto_update: false,
      update_channel: '1.4.0',
    };
    expect(agentConfigFileSchema.parse(full)).toEqual(full);
  });

  it('trims the key (a pasted key often carries a newline)', () => {
    expect(agentConfigFileSchema.parse({ ...minimal, key: `  ${KEY}\n` }).key).toBe(KEY);
  });

  it('names the field and the bound of every out-of-range number', () => {
    expect(problems({ ...minimal, interval_seconds: 59 })).toEqual(['interval_seconds: must be at least 60']);
    expect(problems({ ...minimal, interval_seconds: 86_401 })).toEqual(['interval_seconds: must be at most 86400']);
    expect(problems({ ...minimal, interval_seconds: 90.5 })).toEqual(['interval_seconds: must be a whole number']);
    expect(problems({ ...minimal, interval_seconds: '300' })).toEqual(['interval_seconds: must be a number']);
    expect(problems({ ...minimal, spool_max_bytes: 1000 })).toEqual(['spool_max_bytes: must be at least 262144']);
    expect(problems({ ...minimal, plugin_timeout_seconds: 0 })).toEqual(['plugin_timeout_seconds: must be at least 1']);
  });

  it('requires an http(s) endpoint', () => {
    expect(problems({ key: KEY })).toEqual(['endpoint: required']);
    expect(problems({ ...minimal, endpoint: 'ftp://example.com/x' })).toEqual(['endpoint: must be an http:// or https:// URL']);
    expect(problems({ ...minimal, endpoint: 'not a url' })).toEqual(['endpoint: must be an http:// or https:// URL']);
  });

  it('sends over plain http:// only to this machine, unless allow_insecure_http says so', () => {
    const refusal =
      'endpoint: plain http:// to another machine: keys and reports would travel unencrypted. Use https://, or set allow_insecure_http: true to accept that';
    for (const endpoint of [
      'http://ingest.example.com/ingestReport',
      'http://10.0.0.2:5001/x',
      'http://localhost.evil.example/x',
      'http://127.0.0.1.evil.example/x',
    ]) {
      expect(problems({ ...minimal, endpoint }), endpoint).toEqual([refusal]);
    }
    for (const endpoint of [
      'http://127.0.0.1:5001/x',
      'http://127.9.8.7/x',
      'http://localhost:5001/x',
      'http://[::1]:5001/x',
      'HTTP://LOCALHOST/x',
    ]) {
      expect(agentConfigFileSchema.safeParse({ ...minimal, endpoint }).success, endpoint).toBe(true);
    }
    expect(agentConfigFileSchema.parse({ ...minimal, endpoint: 'http://10.0.0.2:5001/x', allow_insecure_http: true })).toMatchObject({
      allow_insecure_http: true,
    });
    expect(problems({ ...minimal, allow_insecure_http: 'yes' })).toEqual(['allow_insecure_http: must be true or false']);
  });

  it('requires exactly one of key and key_file', () => {
    expect(problems({ endpoint: minimal.endpoint })).toEqual(['key: required (or key_file: a file holding the key)']);
    expect(problems({ ...minimal, key_file: '/etc/vigil/key' })).toEqual(['key: set key or key_file, not both']);
    expect(problems({ endpoint: minimal.endpoint, key_file: 'relative/key' })).toEqual(['key_file: must be an absolute path']);
  });

  it('refuses a malformed key without echoing it', () => {
    const [problem] = problems({ ...minimal, key: 'vgl_secret-but-wrong' });
    expect(problem).toMatch(/^key: is not a Vigil key/);
    expect(problem).not.toContain('secret-but-wrong');
  });

  it('names unknown solution ids with their index, and suggests the right one', () => {
    expect(problems({ ...minimal, skip_solutions: ['crowdsec', 'clamv'] })).toEqual([
      `skip_solutions.1: unknown solution "clamv" (did you mean "clamav"?) (known: ${Object.keys(SOLUTION_CATALOG).join(', ')})`,
    ]);
    expect(problems({ ...minimal, solutions: { nothing_like_it: {} } })[0]).toMatch(
      /^solutions.nothing_like_it: unknown solution "nothing_like_it" \(known: clamav, fail2ban/,
    );
    expect(problems({ ...minimal, skip_solutions: 'crowdsec' })).toEqual(['skip_solutions: must be a list of solution ids, e.g. [crowdsec]']);
    expect(problems({ ...minimal, solutions: { clamav: 3 } })).toEqual([
      'solutions.clamav: must be a map of settings, e.g. { maxSignatureAgeDays: 3 }',
    ]);
  });

  it('rejects unknown keys by name, with a hint for typos', () => {
    expect(problems({ ...minimal, intervall_seconds: 300, colour: 'blue' })).toEqual([
      'intervall_seconds: unknown field (did you mean "interval_seconds"?)',
      'colour: unknown field',
    ]);
  });

  it('checks the log level and booleans', () => {
    expect(problems({ ...minimal, log_level: 'verbose' })).toEqual(['log_level: must be one of debug, info, warn, error']);
    expect(problems({ ...minimal, allow_state_changes: 'yes' })).toEqual(['allow_state_changes: must be true or false']);
  });
});

describe('closestName', () => {
  it('finds near misses only', () => {
    expect(closestName('spool_dirr', ['spool_dir', 'key'])).toBe('spool_dir');
    expect(closestName('KEY', ['spool_dir', 'key'])).toBe('key');
    expect(closestName('banana', ['spool_dir', 'key'])).toBeUndefined();
    expect(closestName('max_signature_age_days', ['maxSignatureAgeDays', 'configPath'])).toBe('maxSignatureAgeDays');
    expect(closestName('maxsignatureagedayz', ['maxSignatureAgeDays', 'configPath'])).toBe('maxSignatureAgeDays');
  });
});
