import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigUpdateError, newConfigText, updateConfigText } from './config-update.js';

const KEY = `vgl_abcdefghijklmnop_${'K'.repeat(43)}`;
const FIELDS = { endpoint: 'https://us-central1-acme.cloudfunctions.net/ingestReport', keyFile: '/etc/vigil/key' };

describe('newConfigText', () => {
  it('holds the endpoint and key_file, and says who wrote it', () => {
    const text = newConfigText(FIELDS);
    expect(parse(text)).toEqual({ endpoint: FIELDS.endpoint, key_file: '/etc/vigil/key' });
    expect(text).toMatch(/^# Written by "vigil-agent enroll"/);
  });

  it('quotes a relay fingerprint, so digits alone stay text', () => {
    const pin = '1'.repeat(64);
    const text = newConfigText({ ...FIELDS, relayFingerprint: pin });
    expect(text).toContain(`relay_fingerprint: "${pin}"`);
    expect(parse(text).relay_fingerprint).toBe(pin);
  });
});

describe('updateConfigText', () => {
  it('replaces an inline key with key_file on its line, keeping every other line and comment byte for byte', () => {
    const before = [
      '# /etc/vigil/agent.yaml  (mode 0600, owner root)',
      'endpoint: https://old.example/ingestReport   # the cloud',
      `key: ${KEY}   # from the dashboard`,
      '',
      'interval_seconds: 300',
      'skip_solutions: [crowdsec]',
      'solutions:',
      '  clamav: { maxSignatureAgeDays: 3 }   # fresh enough',
      '  certbot:',
      '    minDaysBeforeExpiry: 14',
      "log_level: 'info'",
      '',
    ].join('\n');
    const after = updateConfigText(before, FIELDS);
    expect(after).toBe(
      [
        '# /etc/vigil/agent.yaml  (mode 0600, owner root)',
        `endpoint: ${FIELDS.endpoint}   # the cloud`,
        'key_file: /etc/vigil/key',
        '',
        'interval_seconds: 300',
        'skip_solutions: [crowdsec]',
        'solutions:',
        '  clamav: { maxSignatureAgeDays: 3 }   # fresh enough',
        '  certbot:',
        '    minDaysBeforeExpiry: 14',
        "log_level: 'info'",
        '',
      ].join('\n'),
    );
    expect(after).not.toContain(KEY);
  });

  it('keeps an existing key_file where it is and only drops the key line', () => {
    const after = updateConfigText(`key: ${KEY}\nendpoint: "https://old.example/ingestReport"\nkey_file: /etc/vigil/key\n`, FIELDS);
    expect(after).toBe(`endpoint: ${FIELDS.endpoint}\nkey_file: /etc/vigil/key\n`);
  });

  it('appends what is missing, and fills a field written without a value', () => {
    expect(updateConfigText('interval_seconds: 600', FIELDS)).toBe(`interval_seconds: 600\nendpoint: ${FIELDS.endpoint}\nkey_file: /etc/vigil/key\n`);
    expect(updateConfigText('endpoint:\nlog_level: debug\n', FIELDS)).toBe(
      `endpoint: ${FIELDS.endpoint}\nlog_level: debug\nkey_file: /etc/vigil/key\n`,
    );
    expect(updateConfigText('endpoint:    # set by enroll\n', FIELDS)).toBe(
      `endpoint:    ${FIELDS.endpoint} # set by enroll\nkey_file: /etc/vigil/key\n`,
    );
  });

  it('keeps a file of comments only, adding the fields after them', () => {
    expect(updateConfigText('# nothing yet\n', FIELDS)).toBe(`# nothing yet\nendpoint: ${FIELDS.endpoint}\nkey_file: /etc/vigil/key\n`);
  });

  it('keeps the relay section and sets the pin when one is given', () => {
    const pin = 'ab'.repeat(32);
    const before = `endpoint: https://10.0.0.5:8443/ingest\nrelay:\n  listen: 10.0.0.5:8443\n`;
    const after = updateConfigText(before, { endpoint: 'https://10.0.0.5:8443/ingest', keyFile: '/etc/vigil/key', relayFingerprint: pin });
    expect(parse(after)).toEqual({
      endpoint: 'https://10.0.0.5:8443/ingest',
      relay: { listen: '10.0.0.5:8443' },
      key_file: '/etc/vigil/key',
      relay_fingerprint: pin,
    });
    expect(after.startsWith(before)).toBe(true);
  });

  it('refuses what it cannot edit safely, naming the line and never quoting the file', () => {
    expect(() => updateConfigText(`endpoint: [unclosed\nkey: ${KEY}\n`, FIELDS)).toThrow(/is not valid YAML \(line \d\)/);
    try {
      updateConfigText(`key: ${KEY}\n  bad: [\n`, FIELDS);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigUpdateError);
      expect((error as Error).message).not.toContain(KEY);
    }
    expect(() => updateConfigText('- a list\n', FIELDS)).toThrow('must be a YAML mapping');
    expect(() => updateConfigText(`{ endpoint: x, key: ${KEY} }\n`, FIELDS)).toThrow('must be a YAML mapping');
    expect(() => updateConfigText('endpoint:\n  nested: map\n', FIELDS)).toThrow('endpoint: (line 1) must be a single value');
  });
});
