// The telemetry fields of the agent config: hide_host_details, send_agent_health, error_reporting_dsn.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealHost } from '../host/real-host.js';
import { ConfigError, loadConfig } from './load-config.js';

const KEY = `vgl_abcdefghijklmnop_${'S'.repeat(43)}`;
const ENDPOINT = 'https://us-central1-demo.cloudfunctions.net/ingestReport';
const DSN = 'https://0123456789abcdef@o1.ingest.sentry.example/42';
const host = new RealHost();
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-telemetry-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function configFile(extra: string): string {
  const file = path.join(dir, 'agent.yaml');
  writeFileSync(file, `endpoint: ${ENDPOINT}\nkey: ${KEY}\n${extra}`);
  chmodSync(file, 0o600);
  return file;
}

async function problemsOf(extra: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadConfig({ host, path: configFile(extra), env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('agent config: telemetry', () => {
  it('shares every host detail, sends health and reports no errors by default', async () => {
    const { config } = await loadConfig({ host, path: configFile('') });
    expect(config).toMatchObject({ hideHostDetails: [], sendAgentHealth: true, errorReportingDsn: undefined });
  });

  it('reads the opt-outs and the DSN from the file', async () => {
    const { config } = await loadConfig({
      host,
      path: configFile(`hide_host_details: [hostname, os, kernel, arch, hostname]\nsend_agent_health: false\nerror_reporting_dsn: ${DSN}\n`),
    });
    expect(config).toMatchObject({
      hideHostDetails: ['hostname', 'os', 'kernel', 'arch'],
      sendAgentHealth: false,
      errorReportingDsn: DSN,
    });
  });

  it('takes them from the environment too', async () => {
    const { config } = await loadConfig({
      host,
      path: configFile(''),
      env: { VIGIL_HIDE_HOST_DETAILS: 'hostname, kernel', VIGIL_SEND_AGENT_HEALTH: 'false', VIGIL_SENTRY_DSN: DSN },
    });
    expect(config).toMatchObject({ hideHostDetails: ['hostname', 'kernel'], sendAgentHealth: false, errorReportingDsn: DSN });
  });

  it('refuses unknown host details and malformed DSNs by name', async () => {
    expect(await problemsOf('hide_host_details: [hostname, ip]\n')).toEqual([
      'hide_host_details.1: must be one of hostname, os, kernel, arch (line 3)',
    ]);
    expect(await problemsOf('error_reporting_dsn: https://sentry.example/42\n')).toEqual([
      'error_reporting_dsn: must be a Sentry DSN: https://<public key>@<host>/<project id> (line 3)',
    ]);
    expect(await problemsOf('', { VIGIL_SENTRY_DSN: 'nonsense' })).toEqual([
      'error_reporting_dsn (from VIGIL_SENTRY_DSN): must be a Sentry DSN: https://<public key>@<host>/<project id>',
    ]);
  });
});
