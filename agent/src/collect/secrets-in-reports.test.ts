// No credential a host keeps in a tool's configuration may leave it in a report: not through the
// configuration a plugin chose to report, nor through a test message or an error that quotes the
// tool's own output. The fixtures keep every secret as a word containing "s3cret".
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { silentLogger } from '../log.js';
import { certbotPlugin } from '../plugins/certbot.js';
import type { SolutionPlugin } from '../plugins/plugin.js';
import { checkSolutionSettings, NO_SETTINGS } from '../plugins/settings.js';
import { vectorPlugin } from '../plugins/vector.js';
import { collectReport } from './collect.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const system = { hostname: () => 'web-1', release: () => '6.1.0-18-amd64', machine: () => 'x86_64' };

async function reportJson(plugin: SolutionPlugin, fixture: string): Promise<{ json: string; solution: Record<string, unknown> }> {
  const host = new FixtureHost(`${fixtures}${fixture}`);
  const { report } = await collectReport({
    plugins: [plugin],
    host,
    // Every test that can run, so every message that can quote a tool's output is produced.
    allowStateChanges: true,
    settings: checkSolutionSettings([plugin], {}).settings,
    pluginTimeoutMs: 10_000,
    agentVersion: '9.9.9-test',
    log: silentLogger,
    system,
  });
  return { json: JSON.stringify(report), solution: report.solutions[0] as unknown as Record<string, unknown> };
}

describe('secrets never leave the host in a report', () => {
  it('Vector: credentials in endpoint arrays, a uri, auth tables and headers, and a validate message quoting them', async () => {
    const { json, solution } = await reportJson(vectorPlugin, 'vector/credentials');
    expect(json).not.toMatch(/s3cret/i);
    // What is reported still says where the logs go, and why validate failed.
    expect(solution.configuration).toMatchObject({
      'sink.es': 'elasticsearch',
      'sink.es.endpoints': ['https://es1.internal:9200', 'https://es2.internal:9200'],
      'sink.collector.uri': 'https://collector.example.com/ingest',
      'sink.loki.endpoint': 'https://logs-prod-eu-west-0.grafana.net',
    });
    expect(json).toContain('vector validate rejects /etc/vector/vector.toml: Sink \\"es\\": invalid endpoint');
    expect(json).not.toMatch(/glc_|Bearer s|812345/);
  });

  it("certbot: only cli.ini's non-secret options, and a dry run's hook error quoting a token", async () => {
    const { json, solution } = await reportJson(certbotPlugin, 'certbot/credentials');
    expect(json).not.toMatch(/s3cret/i);
    const configuration = solution.configuration as Record<string, unknown>;
    expect(Object.keys(configuration).filter((key) => key.startsWith('cli.'))).toEqual([
      'cli.max-log-backups',
      'cli.preconfigured-renewal',
      'cli.server',
      'cli.email',
      'cli.agree-tos',
      'cli.key-type',
      'cli.authenticator',
      'cli.dns-cloudflare-propagation-seconds',
    ]);
    expect(json).toContain('certbot renew --dry-run failed: Hook');
  });

  it('any plugin: a thrown error, a version and a configuration value are scrubbed too', async () => {
    const leaky: SolutionPlugin = {
      id: 'teler',
      settings: NO_SETTINGS,
      detect: async () => ({ detectedBy: ['config'] }),
      inspect: async () => ({
        version: '1.0 token=s3cretVersionToken',
        configuration: { 'alert.url': 'https://hooks.slack.com/services/x?token=s3cretSlack', 'db.dsn': 'postgres://teler:s3cretPg@db/teler' },
        metrics: {},
        tests: [{ id: 'probe', type: 'operational', passed: false, message: 'login with password: s3cretPassword failed', durationMs: 1 }],
        errors: [{ code: 'x', message: 'Authorization: Bearer s3cretBearer0123456789' }],
      }),
    };
    expect((await reportJson(leaky, 'vector/absent')).json).not.toMatch(/s3cret/i);
    const throwing: SolutionPlugin = {
      ...leaky,
      inspect: async () => Promise.reject(new Error('cannot reach https://teler:s3cretThrown@api.example.org')),
    };
    const { json } = await reportJson(throwing, 'vector/absent');
    expect(json).not.toMatch(/s3cret/i);
    expect(json).toContain('cannot reach https://[redacted]@api.example.org');
  });
});
