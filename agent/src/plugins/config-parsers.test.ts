import { describe, expect, it } from 'vitest';
import { parseEnvironmentFile, parseIni, parsePythonLiteral, parseToml } from './config-parsers.js';

describe('parsePythonLiteral', () => {
  it('reads lists as repr() prints them', () => {
    expect(parsePythonLiteral("['set', 'sshd', 'maxretry', 5]")).toEqual(['set', 'sshd', 'maxretry', 5]);
    expect(parsePythonLiteral("['a', \"it's\", True, None, -1.5, ('x',), []]")).toEqual(['a', "it's", true, null, -1.5, ['x'], []]);
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

describe('parseToml', () => {
  it("reads Vector's tables, dotted keys, multi-line arrays and strings, inline tables", () => {
    const parsed = parseToml(
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
        'auth = { strategy = "basic", user = "u" }',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      data_dir: '/var/lib/vector',
      sources: { in: { type: 'file', include: ['/var/log/a.log', '/var/log/b.log'] } },
      transforms: { 'my-parse': { type: 'remap', source: 'type = "not a key"\n', inputs: ['in'] } },
      sinks: {
        out: {
          type: 'loki',
          encoding: { codec: 'json' },
          batch: { max_events: 1000 },
          healthcheck: { enabled: false },
          auth: { strategy: 'basic', user: 'u' },
        },
      },
    });
  });

  it('refuses what is not TOML with the position, not the text (a duplicate key, an unclosed table)', () => {
    expect(() => parseToml('a = 1\na = 2\n')).toThrow(/^invalid TOML at line 2, column \d+: /);
    expect(() => parseToml('[sinks.x]\ntoken = "hunter2-secret"\nauth = {\n')).toThrow(/^invalid TOML at line \d+/);
    try {
      parseToml('token = "hunter2-secret"\n[[[');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe('parseEnvironmentFile', () => {
  // Expected values are what systemd (src/basic/env-file.c) makes of each line.
  it('reads KEY=VALUE lines and skips comments, blank lines and lines without =', () => {
    expect(
      parseEnvironmentFile(
        '# comment\n  ; also a comment\n\nPLAIN=value\n  SPACED  =  a b  \nEMPTY=\nno equals sign\nHASH=a # not a comment\nLAST=no newline',
      ),
    ).toEqual({ PLAIN: 'value', SPACED: 'a b', EMPTY: '', HASH: 'a # not a comment', LAST: 'no newline' });
  });

  it('unquotes single and double quotes as systemd does', () => {
    expect(parseEnvironmentFile(`SINGLE='  a "b" \\n $X '\nDOUBLE="  a 'b' \\" \\$X \\\\ \\n"\nJOINED="a"b 'c'\nINNER=a "b"\n`)).toEqual({
      SINGLE: '  a "b" \\n $X ',
      DOUBLE: `  a 'b' " $X \\ \\n`,
      // After a closing quote text joins on, but a quote that is not first is kept as it is.
      JOINED: "ab 'c'",
      INNER: 'a "b"',
    });
  });

  it('continues a value after a backslash at the end of a line, also inside quotes', () => {
    expect(parseEnvironmentFile('A=one \\\ntwo\nB="x\\\ny"\nC=\\ lead\nD=a\\\\b\n')).toEqual({ A: 'one two', B: 'xy', C: ' lead', D: 'a\\b' });
    expect(parseEnvironmentFile("M='line one\nline two'\n")).toEqual({ M: 'line one\nline two' });
  });

  it('drops what systemd drops: export, invalid names; later assignments win', () => {
    expect(parseEnvironmentFile('export TOKEN=x\n1BAD=x\nA-B=x\nOK_1=first\nOK_1=second\n')).toEqual({ OK_1: 'second' });
  });

  it('reads CRLF files and keeps names such as __proto__ as plain variables', () => {
    const parsed = parseEnvironmentFile('A=1\r\nB="2"\r\n__proto__=x\r\n');
    expect({ ...parsed }).toEqual({ A: '1', B: '2', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(parsed)).toBeNull();
  });
});
