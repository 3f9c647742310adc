import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { configFromEnvironmentFile, parseVectorConfig, validateErrors, vectorPlugin, withoutCredentials } from './vector.js';

const fixtures = fileURLToPath(new URL('../../fixtures/vector/', import.meta.url));
/** Version and a validate that touches no environment (no sink health checks, no data_dir scratch). */
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|\/usr\/bin\/vector (--version|validate --no-environment \S+)$)/;

async function inspect(scenario: string, allowStateChanges = false) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges, settings: {} } };
  const detection = await vectorPlugin.detect(context);
  if (!detection) throw new Error(`vector not detected in ${scenario}`);
  const findings = await vectorPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: vectorPlugin.id, detectedBy: detection.detectedBy, ...findings });
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

describe('vector plugin', () => {
  it('reports the pipeline: sources, transforms and sinks with their types, without credentials', async () => {
    const { detection, findings, test, host } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('0.43.1');
    expect(findings.configuration).toEqual({
      configFiles: ['/etc/vector/vector.yaml'],
      'source.nginx_access': 'file',
      'source.nginx_access.include': ['/var/log/nginx/access.log'],
      'source.journal': 'journald',
      'transform.parse_nginx': 'remap',
      'transform.parse_nginx.inputs': ['nginx_access'],
      'sink.loki': 'loki',
      'sink.loki.inputs': ['parse_nginx', 'journal'],
      'sink.loki.endpoint': 'https://logs-prod-eu-west-0.grafana.net',
      'api.enabled': true,
      'api.address': '127.0.0.1:8686',
      data_dir: '/var/lib/vector',
      sources: ['nginx_access', 'journal'],
      transforms: ['parse_nginx'],
      sinks: ['loki'],
    });
    expect(JSON.stringify(findings.configuration)).not.toMatch(/LOKI_|glc_|password/);
    expect(findings.metrics).toEqual({});
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'config-valid', type: 'requirement', passed: true },
      { id: 'service-running', type: 'operational', passed: true },
    ]);
    expect(test('config-valid')?.message).toBe('vector validate: /etc/vector/vector.yaml validated');
    expect(host.ran).toContain('/usr/bin/vector validate --no-environment /etc/vector/vector.yaml');
    expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
    expect(findings.errors).toEqual([]);
  });

  it("fails config-valid with vector's reason, reading a TOML configuration", async () => {
    const { findings, test, host } = await inspect('invalid-config');
    expect(findings.configuration).toMatchObject({
      configFiles: ['/etc/vector/vector.toml'],
      'transform.nginx_parse': 'remap',
      'sink.loki': 'loki',
      'sink.loki.inputs': ['parse_nginx'],
      // The user and token embedded in the URL are dropped.
      'sink.loki.endpoint': 'https://logs-prod-eu-west-0.grafana.net',
    });
    expect(test('config-valid')).toMatchObject({
      passed: false,
      message: 'vector validate rejects /etc/vector/vector.toml: Input "parse_nginx" for sink "loki" doesn\'t match any components.',
    });
    expect(test('service-running')).toMatchObject({ passed: false, message: 'vector.service is failed' });
    expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  });

  it("runs the sinks' health checks only when state changes are allowed", async () => {
    const { host, test } = await inspect('healthy', true);
    expect(host.ran).toContain('/usr/bin/vector validate /etc/vector/vector.yaml');
    expect(test('sinks-reachable')).toMatchObject({ type: 'integration', passed: true, message: "every sink's health check passed (loki)" });
  });

  it('is not detected where Vector is not installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await vectorPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('vector helpers', () => {
  it('reads VECTOR_CONFIG from /etc/default/vector', () => {
    expect(configFromEnvironmentFile('# comment\nVECTOR_CONFIG="/etc/vector/a.yaml,/etc/vector/b.toml"\n')).toEqual(['/etc/vector/a.yaml', '/etc/vector/b.toml']);
    expect(configFromEnvironmentFile('LOKI_USER=1\n')).toEqual([]);
  });

  it('parses the three formats and says what is wrong with a broken file', () => {
    expect(parseVectorConfig('/x.json', '{"sinks": {"out": {"type": "console"}}}')).toEqual({ config: { sinks: { out: { type: 'console' } } } });
    expect(parseVectorConfig('/x.yaml', 'sources:\n  in:\n    type: stdin\n')).toEqual({ config: { sources: { in: { type: 'stdin' } } } });
    expect(parseVectorConfig('/x.yaml', 'sources: [unclosed')).toHaveProperty('error');
    expect(parseVectorConfig('/x.json', '{')).toHaveProperty('error');
  });

  it('keeps the "x" lines of vector validate', () => {
    expect(validateErrors('Failed to load ["/a.toml"]\n------\nx Sink "b" has no inputs\nx Bad type\n\n')).toEqual(['Sink "b" has no inputs', 'Bad type']);
  });
});

describe('withoutCredentials', () => {
  it('drops user info and query strings, which often carry tokens', () => {
    expect(withoutCredentials('https://user:secret@logs.example.com/loki/api/v1/push?api_key=abc#x')).toBe(
      'https://logs.example.com/loki/api/v1/push',
    );
    expect(withoutCredentials('http://127.0.0.1:8686')).toBe('http://127.0.0.1:8686');
  });
});
