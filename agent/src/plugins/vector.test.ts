import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import {
  configFromEnvironmentFile,
  missingVariables,
  parseVectorConfig,
  validateErrors,
  vectorPlugin,
  withoutCredentials,
  withoutEnvironmentValues,
} from './vector.js';

const fixtures = fileURLToPath(new URL('../../fixtures/vector/', import.meta.url));
/** Version and a validate that touches no environment (no sink health checks, no data_dir scratch). */
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|\/usr\/bin\/vector (--version|validate --no-environment \S+)$)/;
const VALIDATE_YAML = '/usr/bin/vector validate --no-environment /etc/vector/vector.yaml';
/** What the fixtures' /etc/default/vector files set: never to be found in a report. */
const SECRET_VALUES = /812345|glc_placeholder/;

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

  it('validates with the variables of /etc/default/vector, as vector.service gets them, and reports none of them', async () => {
    // vector.yaml reads its Loki credentials as ${LOKI_USER} and ${LOKI_API_TOKEN}: without them,
    // vector validate fails where the service starts fine.
    const { host, findings, test } = await inspect('healthy');
    expect(test('config-valid')?.passed).toBe(true);
    expect(host.envOf.get(VALIDATE_YAML)).toEqual({ LOKI_USER: '812345', LOKI_API_TOKEN: 'glc_placeholder' });
    expect(JSON.stringify(findings)).not.toMatch(SECRET_VALUES);

    // One read, in detect: inspect takes VECTOR_CONFIG and the variables from what detect found.
    const counted = new FixtureHost(`${fixtures}healthy`);
    const readFile = counted.readFile.bind(counted);
    let reads = 0;
    counted.readFile = async (file, options) => {
      if (file === '/etc/default/vector') reads += 1;
      return readFile(file, options);
    };
    const context = { host: counted, options: { allowStateChanges: false, settings: {} } };
    const detection = await vectorPlugin.detect(context);
    expect(reads).toBe(1);
    await vectorPlugin.inspect(context, detection!);
    expect(reads).toBe(1);
  });

  it('uses no variable of an /etc/default/vector that others than root can write, and says so', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'vigil-vector-'));
    try {
      cpSync(`${fixtures}healthy`, copy, { recursive: true });
      writeFileSync(path.join(copy, 'stats.json'), JSON.stringify({ '/etc/default/vector': { mode: 0o664 } }));
      const host = new FixtureHost(copy);
      const context = { host, options: { allowStateChanges: false, settings: {} } };
      const findings = await vectorPlugin.inspect(context, (await vectorPlugin.detect(context))!);
      expect(host.envOf.get(VALIDATE_YAML)).toBeUndefined();
      expect(findings.errors).toEqual([
        {
          code: 'environment-file-untrusted',
          message:
            '/etc/default/vector is writable by other users than root (mode 0664): vector validate ran without its variables, which the agent (root) would otherwise pass on. Run: chown root:root /etc/default/vector; chmod 644 /etc/default/vector',
        },
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('names the variable that /etc/default/vector does not set when validate misses one', async () => {
    const { host, findings, test } = await inspect('missing-variable');
    expect(test('config-valid')).toMatchObject({
      passed: false,
      message:
        'vector validate rejects /etc/vector/vector.yaml: Missing environment variable in config. name = "LOKI_API_TOKEN" (/etc/default/vector, the environment file of vector.service, does not set LOKI_API_TOKEN)',
    });
    expect(host.envOf.get(VALIDATE_YAML)).toEqual({ LOKI_USER: '812345', LOKI_TOKEN: 'glc_placeholder' });
    expect(JSON.stringify(findings)).not.toMatch(SECRET_VALUES);
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
    // Its /etc/default/vector sets nothing: validate runs as before, with no variables added.
    expect(host.envOf.size).toBe(0);
  });

  it("runs the sinks' health checks only when state changes are allowed", async () => {
    const { host, test } = await inspect('healthy', true);
    expect(host.ran).toContain('/usr/bin/vector validate /etc/vector/vector.yaml');
    // The health checks log in with the credentials the service has.
    expect(host.envOf.get('/usr/bin/vector validate /etc/vector/vector.yaml')).toEqual({ LOKI_USER: '812345', LOKI_API_TOKEN: 'glc_placeholder' });
    expect(test('sinks-reachable')).toMatchObject({ type: 'integration', passed: true, message: "every sink's health check passed (loki)" });
  });

  it('is not detected where Vector is not installed (real capture)', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await vectorPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('vector helpers', () => {
  it('reads VECTOR_CONFIG from /etc/default/vector', () => {
    expect(configFromEnvironmentFile('# comment\nVECTOR_CONFIG="/etc/vector/a.yaml,/etc/vector/b.toml"\n')).toEqual([
      '/etc/vector/a.yaml',
      '/etc/vector/b.toml',
    ]);
    expect(configFromEnvironmentFile('LOKI_USER=1\n')).toEqual([]);
    // Read as systemd reads the file for the service: quotes go, an `export` line sets nothing.
    expect(configFromEnvironmentFile("VECTOR_CONFIG='/etc/vector/a.yaml'\n")).toEqual(['/etc/vector/a.yaml']);
    expect(configFromEnvironmentFile('export VECTOR_CONFIG=/etc/vector/a.yaml\n')).toEqual([]);
  });

  it('finds the variables a failed validate missed, in the wordings of Vector versions', () => {
    expect(
      missingVariables([
        'Missing environment variable in config. name = "LOKI_API_TOKEN"',
        'Missing environment variable required in config. name = "A", error = "set A"',
        'Non-empty env var required in config. name = "B", error = ""',
        'Input "x" for sink "y" doesn\'t match any components.',
        'Missing environment variable in config. name = "LOKI_API_TOKEN"',
      ]),
    ).toEqual(['LOKI_API_TOKEN', 'A', 'B']);
  });

  it('replaces the values of the environment file in messages by their names', () => {
    const environment = { TOKEN: 'glc_secret', URL: 'https://logs.example.com', ON: 'yes', VECTOR_CONFIG: '/etc/vector/vector.yaml' };
    expect(withoutEnvironmentValues('bad uri https://logs.example.com/x?t=glc_secret: yes, in /etc/vector/vector.yaml', environment)).toBe(
      'bad uri <value of URL>/x?t=<value of TOKEN>: yes, in /etc/vector/vector.yaml',
    );
  });

  it('parses the three formats and says what is wrong with a broken file', () => {
    expect(parseVectorConfig('/x.json', '{"sinks": {"out": {"type": "console"}}}')).toEqual({ config: { sinks: { out: { type: 'console' } } } });
    expect(parseVectorConfig('/x.yaml', 'sources:\n  in:\n    type: stdin\n')).toEqual({ config: { sources: { in: { type: 'stdin' } } } });
    expect(parseVectorConfig('/x.yaml', 'sources: [unclosed')).toHaveProperty('error');
    expect(parseVectorConfig('/x.json', '{')).toHaveProperty('error');
  });

  it('keeps the "x" lines of vector validate', () => {
    expect(validateErrors('Failed to load ["/a.toml"]\n------\nx Sink "b" has no inputs\nx Bad type\n\n')).toEqual([
      'Sink "b" has no inputs',
      'Bad type',
    ]);
  });
});

describe('withoutCredentials', () => {
  it('drops user info and query strings, which often carry tokens', () => {
    expect(withoutCredentials('https://user:secret@logs.example.com/loki/api/v1/push?api_key=abc#x')).toBe(
      'https://logs.example.com/loki/api/v1/push',
    );
    expect(withoutCredentials('http://127.0.0.1:8686')).toBe('http://127.0.0.1:8686');
    expect(withoutCredentials('/var/log/app?.log')).toBe('/var/log/app?.log');
  });
});
