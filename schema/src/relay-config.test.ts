// The relay's part of the agent config (agent-config.ts): `relay:` on the relay host,
// `relay_fingerprint` on the agents behind it.
import { describe, expect, it } from 'vitest';
import {
  agentConfigFieldsSchema,
  agentConfigFileSchema,
  agentConfigIssues,
  normalizeFingerprint,
  parseListenAddress,
  RELAY_CONFIG_DEFAULTS,
} from './agent-config.js';

const KEY = `vgl_abcdefghijklmnop_${'A'.repeat(43)}`;
const FINGERPRINT = 'fa88bbb50b92a4f39f6adacc75c31d8e568d88c938a51316ae8fab9a70f431ac';
const agent = { endpoint: 'https://10.0.0.2:8443/ingest', key: KEY };

function problems(input: unknown, schema: typeof agentConfigFileSchema = agentConfigFileSchema): string[] {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : agentConfigIssues(result.error).map(({ path, message }) => `${path}: ${message}`);
}

describe('relay_fingerprint', () => {
  it('accepts hex with or without colons, in any case, and keeps lowercase hex', () => {
    const colons = FINGERPRINT.toUpperCase().match(/../g)!.join(':');
    expect(agentConfigFileSchema.parse({ ...agent, relay_fingerprint: colons }).relay_fingerprint).toBe(FINGERPRINT);
    expect(agentConfigFileSchema.parse({ ...agent, relay_fingerprint: `sha256:${FINGERPRINT}` }).relay_fingerprint).toBe(FINGERPRINT);
    expect(normalizeFingerprint(`sha256 Fingerprint=${colons}`)).toBe(FINGERPRINT);
    expect(normalizeFingerprint('abc')).toBeUndefined();
  });

  it('refuses anything else, and a pin on a plain http:// endpoint', () => {
    expect(problems({ ...agent, relay_fingerprint: 'abc' })).toEqual([
      "relay_fingerprint: must be the relay certificate's SHA-256 fingerprint: 64 hex digits (colons allowed)",
    ]);
    expect(problems({ ...agent, relay_fingerprint: 12345 })).toEqual([
      'relay_fingerprint: must be a SHA-256 fingerprint in quotes (64 hex digits, colons allowed)',
    ]);
    expect(problems({ ...agent, endpoint: 'http://10.0.0.2:8443/ingest', allow_insecure_http: true, relay_fingerprint: FINGERPRINT })).toEqual([
      "relay_fingerprint: pins a relay's certificate: the endpoint must be https://",
    ]);
  });
});

describe('relay:', () => {
  it('fills every default but the listen address, which must be given', () => {
    expect(agentConfigFieldsSchema.partial({ endpoint: true }).parse({ relay: { listen: '10.0.0.5:8443' } }).relay).toEqual({
      listen: '10.0.0.5:8443',
      ...RELAY_CONFIG_DEFAULTS,
    });
    expect(problems({ ...agent, relay: {} })).toEqual([
      'relay.listen: required: the address agents connect to, e.g. 10.0.0.5:8443 (0.0.0.0:8443 listens on every interface, the Internet-facing ones too)',
    ]);
  });

  it('bounds what one key id may hold in the spool', () => {
    const relay = agentConfigFileSchema.parse({ ...agent, relay: { listen: '10.0.0.5:8443' } }).relay;
    expect(relay).toMatchObject({ spool_max_reports_per_key: 500, spool_max_bytes_per_key: 50 * 1024 * 1024 });
    expect(problems({ ...agent, relay: { listen: '10.0.0.5:8443', spool_max_reports_per_key: 0, spool_max_bytes_per_key: 1000 } })).toEqual([
      'relay.spool_max_reports_per_key: must be at least 1',
      'relay.spool_max_bytes_per_key: must be at least 262144',
    ]);
  });

  it('forwards over plain http:// only to this machine, unless allowed', () => {
    const relay = { listen: '10.0.0.5:8443', uplink: 'http://ingest.example.com/ingestReport' };
    expect(problems({ ...agent, relay })).toEqual([
      'relay.uplink: plain http:// to another machine: keys and reports would travel unencrypted. Use https://, or set allow_insecure_http: true to accept that',
    ]);
    expect(agentConfigFileSchema.safeParse({ ...agent, allow_insecure_http: true, relay }).success).toBe(true);
    expect(agentConfigFileSchema.safeParse({ ...agent, relay: { ...relay, uplink: 'http://127.0.0.1:5001/x' } }).success).toBe(true);
  });

  it('accepts a complete section', () => {
    const relay = {
      listen: '[::]:8443',
      spool_max_reports_per_key: 100,
      spool_max_bytes_per_key: 1024 * 1024,
      cert_file: '/etc/vigil/relay.crt',
      key_file: '/etc/vigil/relay.key',
      state_dir: '/srv/vigil-relay',
      uplink: 'https://us-central1-demo.cloudfunctions.net/ingestReport',
      spool_max_reports: 10,
      spool_max_bytes: 1024 * 1024,
      rate_limit_per_minute: 10,
      rate_limit_burst: 20,
    };
    expect(agentConfigFileSchema.parse({ ...agent, relay }).relay).toEqual(relay);
  });

  it('names each bad field, with a hint for a typo', () => {
    expect(
      problems({
        ...agent,
        relay: { listen: '0.0.0.0', cert_file: 'relay.crt', spool_max_bytes: 1000, uplink: 'ftp://x', rate_limit_burst: 0, certfile: '/x' },
      }),
    ).toEqual([
      'relay.listen: must be host:port, e.g. 0.0.0.0:8443 or [::]:8443',
      'relay.cert_file: must be an absolute path',
      'relay.uplink: must be an http:// or https:// URL',
      'relay.spool_max_bytes: must be at least 1048576',
      'relay.rate_limit_burst: must be at least 1',
      'relay.certfile: unknown field (did you mean "cert_file"?)',
      'relay.key_file: set cert_file and key_file together, or neither (a self-signed certificate is made)',
    ]);
    expect(problems({ ...agent, relay: { listen: '10.0.0.5:8443', cert_file: '/etc/vigil/relay.crt' } })).toEqual([
      'relay.key_file: set cert_file and key_file together, or neither (a self-signed certificate is made)',
    ]);
    expect(problems({ ...agent, relay: 'yes' })).toEqual(['relay: must be a map of relay settings, e.g. { listen: 0.0.0.0:8443 }']);
  });

  it('parses listen addresses', () => {
    expect(parseListenAddress('0.0.0.0:8443')).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(parseListenAddress('[::]:8443')).toEqual({ host: '::', port: 8443 });
    expect(parseListenAddress('relay.lan:443')).toEqual({ host: 'relay.lan', port: 443 });
    expect(parseListenAddress('0.0.0.0:0')).toBeUndefined();
    expect(parseListenAddress('0.0.0.0:70000')).toBeUndefined();
    expect(parseListenAddress('8443')).toBeUndefined();
  });
});
