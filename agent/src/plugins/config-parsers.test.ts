import { describe, expect, it } from 'vitest';
import { parseIni, parsePythonLiteral, parseTomlTables } from './config-parsers.js';

describe('parsePythonLiteral', () => {
  it('reads lists as repr() prints them', () => {
    expect(parsePythonLiteral("['set', 'sshd', 'maxretry', 5]")).toEqual(['set', 'sshd', 'maxretry', 5]);
    expect(parsePythonLiteral('[\'a\', "it\'s", True, None, -1.5, (\'x\',), []]')).toEqual(['a', "it's", true, null, -1.5, ['x'], []]);
    expect(parsePythonLiteral("['^x \\\\d+$\\n', 'tab\\there']")).toEqual(['^x \\d+$\n', 'tab\there']);
  });

  it('refuses what is not one literal', () => {
    expect(parsePythonLiteral("['unclosed'")).toBeUndefined();
    expect(parsePythonLiteral("['a'] trailing")).toBeUndefined();
    expect(parsePythonLiteral('2026-11-27 11:05:26,038 fail2ban WARNING')).toBeUndefined();
  });
});

describe('parseIni', () => {
  it("reads certbot's renewal files: top-level keys, sections, configobj sub-sections", () => {
    const parsed = parseIni(
      '# renew_before_expiry = 30 days\nversion = 2.1.0\ncert = /etc/letsencrypt/live/a/cert.pem\n\n[renewalparams]\nauthenticator = webroot\nwebroot_path = /var/www/html,\n[[webroot_map]]\na.org = /var/www/html\n',
    );
    expect(parsed.get('')?.get('version')).toBe('2.1.0');
    expect(parsed.get('')?.has('renew_before_expiry')).toBe(false);
    expect(parsed.get('renewalparams')?.get('authenticator')).toBe('webroot');
    expect(parsed.get('webroot_map')?.get('a.org')).toBe('/var/www/html');
  });
});

describe('parseTomlTables', () => {
  it("reads Vector's tables, dotted keys, multi-line arrays, and skips multi-line strings", () => {
    const parsed = parseTomlTables(
      [
        'data_dir = "/var/lib/vector" # comment',
        '[sources.in]',
        'type = "file"',
        'include = [',
        '  "/var/log/a.log", # first',
        "  '/var/log/b.log',",
        ']',
        '[transforms."my-parse"]',
        'type = "remap"',
        'source = """',
        'type = "not a key"',
        '"""',
        'inputs = ["in"]',
        '[sinks.out]',
        'type = "loki"',
        'encoding.codec = "json"',
        'batch.max_events = 1_000',
        'healthcheck.enabled = false',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      data_dir: '/var/lib/vector',
      sources: { in: { type: 'file', include: ['/var/log/a.log', '/var/log/b.log'] } },
      transforms: { 'my-parse': { type: 'remap', inputs: ['in'] } },
      sinks: { out: { type: 'loki', encoding: { codec: 'json' }, batch: { max_events: 1000 }, healthcheck: { enabled: false } } },
    });
  });
});
