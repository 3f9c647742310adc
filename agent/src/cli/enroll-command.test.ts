// `vigil-agent enroll` through runCli: options and environment, every refusal before the token is
// spent, and what it writes. The server is a local HTTP server answering in the callable's shape
// (as the relay's tests fake their uplink); the real enrollAgent is in agent/test/enroll.int.test.ts.
import { hashMachineId, MACHINE_ID_FILE_VARIABLE } from '../enroll/machine-id.js';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCli, writeConfig, type TestCli } from '../../test/support/cli.js';
import { parseCliArgs } from './args.js';
import { runCli } from './cli.js';
import { EXIT } from './exit-codes.js';
import { RELAY_TIMEOUTS } from '../relay/relay-server.js';
import { REQUEST_TIMEOUT_MS } from './deps.js';

const TOKEN = `vgle_abcdefghijklmnop_${'T'.repeat(43)}`;
const NEW_KEY = `vgl_qrstuvwxyz234567_${'N'.repeat(43)}`;
const RAW_MACHINE_ID = '0123456789abcdef0123456789abcdef';

let cli: TestCli;
let server: http.Server | undefined;
afterEach(async () => {
  cli?.cleanup();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

interface Seen {
  url: string;
  token: string | undefined;
  body: unknown;
}

/** A server answering every POST with `answer`, recording what it got; resolves with its ingestReport URL. */
async function enrollServer(answer: { status: number; body: unknown }, seen: Seen[]): Promise<string> {
  server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', token: request.headers['x-vigil-enrollment-token'] as string | undefined, body: JSON.parse(text) });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/demo/us-central1/ingestReport`;
}

const ENROLLED = {
  status: 200,
  body: {
    result: {
      workspaceId: 'ws1',
      agentId: 'agent1',
      name: 'web-1',
      key: NEW_KEY,
      keyPrefix: 'vgl_qrstuvwxyz234567_…',
      reportingIntervalSeconds: 300,
      reused: false,
    },
  },
};

function enrollCli(): TestCli {
  cli = testCli();
  const idFile = path.join(cli.dir, 'machine-id');
  writeFileSync(idFile, `${RAW_MACHINE_ID}\n`);
  cli.deps.env = { [MACHINE_ID_FILE_VARIABLE]: idFile, VIGIL_ENROLLMENT_TOKEN: TOKEN };
  return cli;
}

function run(...argv: string[]) {
  return runCli(argv, cli.deps);
}

describe('enroll: options', () => {
  it('parses its options, and refuses them on other commands', () => {
    expect(
      parseCliArgs([
        'enroll',
        '--endpoint',
        'https://x/ingestReport',
        '--token',
        TOKEN,
        '--label',
        'env=prod',
        '--label',
        'team=web',
        '--relay-fingerprint',
        'ab',
      ]),
    ).toMatchObject({
      command: 'enroll',
      enroll: { endpoint: 'https://x/ingestReport', token: TOKEN, labels: ['env=prod', 'team=web'], relayFingerprint: 'ab' },
    });
    expect(parseCliArgs(['enroll'])).toMatchObject({ command: 'enroll', enroll: { labels: [] } });
    expect(() => parseCliArgs(['run', '--token', TOKEN])).toThrow('--token is an option of enroll');
    expect(() => parseCliArgs(['once', '--label', 'a=b'])).toThrow('--label is an option of enroll');
  });
});

describe('vigil-agent enroll', () => {
  it('is in the help, with its options, its variable and its exit code', async () => {
    enrollCli();
    expect(await run('help')).toBe(EXIT.ok);
    expect(cli.stdout.text).toContain('enroll --endpoint URL [--token TOKEN] [--label key=value]...');
    expect(cli.stdout.text).toContain('VIGIL_ENROLLMENT_TOKEN');
    expect(cli.stdout.text).toContain('  7  enroll: the server refused the enrollment token');
  });

  it('enrolls: sends the hashed machine id, writes the key file 0600 and the config, and prints no secret', async () => {
    enrollCli();
    const seen: Seen[] = [];
    const endpoint = await enrollServer(ENROLLED, seen);
    writeConfig(
      cli.dir,
      `# mine\nendpoint: https://old.example/ingestReport\nkey: vgl_abcdefghijklmnop_${'K'.repeat(43)}\nlog_level: debug # chatty\n`,
    );

    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint, '--label', 'env=prod')).toBe(EXIT.ok);

    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/demo/us-central1/enrollAgent');
    expect(seen[0]!.token).toBe(TOKEN);
    expect(seen[0]!.body).toEqual({
      data: { machineId: hashMachineId(RAW_MACHINE_ID), hostname: 'web-1', agentVersion: '9.9.9-test', labels: { env: 'prod' } },
    });
    expect(JSON.stringify(seen[0]!.body)).not.toContain(RAW_MACHINE_ID);
    const keyFile = path.join(cli.dir, 'key');
    expect(readFileSync(keyFile, 'utf8')).toBe(`${NEW_KEY}\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(cli.configPath, 'utf8')).toBe(`# mine\nendpoint: ${endpoint}\nkey_file: ${keyFile}\nlog_level: debug # chatty\n`);
    expect(statSync(cli.configPath).mode & 0o777).toBe(0o600);
    expect(cli.stdout.text).toContain('Enrolled as web-1 (agent agent1, key vgl_qrstuvwxyz234567_…, workspace ws1): a new agent.');
    expect(cli.stdout.text).toContain('sudo systemctl restart vigil-agent');
    expect(cli.stderr.text).toBe('');
    for (const output of [cli.stdout.text, cli.stderr.text]) {
      expect(output).not.toContain(NEW_KEY);
      expect(output).not.toContain(TOKEN);
    }

    // The config it wrote is one the agent loads, with the new key.
    expect(await run('doctor', '--config', cli.configPath)).not.toBe(EXIT.config);
  });

  it('creates the config (0600) beside which it puts the key, when there is none', async () => {
    enrollCli();
    const endpoint = await enrollServer({ ...ENROLLED, body: { result: { ...ENROLLED.body.result, reused: true } } }, []);
    const configPath = path.join(cli.dir, 'etc', 'vigil', 'agent.yaml');
    expect(await run('enroll', '--config', configPath, '--endpoint', endpoint)).toBe(EXIT.ok);
    expect(readFileSync(path.join(cli.dir, 'etc', 'vigil', 'key'), 'utf8')).toBe(`${NEW_KEY}\n`);
    expect(readFileSync(configPath, 'utf8')).toContain(`endpoint: ${endpoint}\nkey_file: ${path.join(cli.dir, 'etc', 'vigil', 'key')}\n`);
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(cli.stdout.text).toContain('this machine was enrolled before: same agent, new key');
  });

  it('sends a name made from the hashed machine id, not the host name, when the config hides the host name', async () => {
    enrollCli();
    const seen: Seen[] = [];
    const endpoint = await enrollServer(ENROLLED, seen);
    writeConfig(cli.dir, 'hide_host_details: [hostname, kernel]\n');
    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint)).toBe(EXIT.ok);
    expect((seen[0]!.body as { data: { hostname: string } }).data.hostname).toBe(`host-${hashMachineId(RAW_MACHINE_ID).slice(0, 12)}`);
  });

  it("prints the server's reason for a refused token, exits 7, and changes nothing", async () => {
    enrollCli();
    const refusal = { status: 400, body: { error: { status: 'FAILED_PRECONDITION', message: 'This enrollment token was revoked.' } } };
    const endpoint = await enrollServer(refusal, []);
    const before = readFileSync(cli.configPath, 'utf8');
    const keyBefore = readFileSync(path.join(cli.dir, 'key'), 'utf8');
    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint)).toBe(EXIT.enrollmentRefused);
    expect(cli.stderr.text).toBe(`vigil-agent: enrollment refused by ${new URL(endpoint).origin}: This enrollment token was revoked.\n`);
    expect(readFileSync(cli.configPath, 'utf8')).toBe(before);
    expect(readFileSync(path.join(cli.dir, 'key'), 'utf8')).toBe(keyBefore);
  });

  it('says when the endpoint cannot be reached, exits 1, and changes nothing', async () => {
    enrollCli();
    const endpoint = await enrollServer(ENROLLED, []);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const before = readFileSync(cli.configPath, 'utf8');
    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint)).toBe(EXIT.failure);
    // Nothing written here; but an answer that never came may still mean an enrolment on the server.
    expect(cli.stderr.text).toMatch(
      /^vigil-agent: enrollment failed: cannot reach the endpoint: .*ECONNREFUSED.*: nothing was written on this machine, but the server may have enrolled it; run enroll again \(the same agent, a new key\)\n$/,
    );
    expect(cli.stderr.text).not.toMatch(/token/i);
    expect(readFileSync(cli.configPath, 'utf8')).toBe(before);
  });

  it('refuses a malformed relay pin from the config or VIGIL_RELAY_FINGERPRINT (exit 3), sending nothing, rather than enrolling unpinned', async () => {
    enrollCli();
    const seen: Seen[] = [];
    const endpoint = await enrollServer(ENROLLED, seen);
    writeConfig(cli.dir, 'relay_fingerprint: "ab12"\n');
    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint)).toBe(EXIT.config);
    expect(cli.stderr.text).toMatch(/relay_fingerprint .*64 hex digits/);
    writeConfig(cli.dir, 'log_level: info\n');
    cli.stderr.text = '';
    cli.deps.env.VIGIL_RELAY_FINGERPRINT = 'not-a-pin';
    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint)).toBe(EXIT.config);
    expect(cli.stderr.text).toMatch(/VIGIL_RELAY_FINGERPRINT .*64 hex digits/);
    expect(seen).toHaveLength(0);
    expect(existsSync(path.join(cli.dir, 'key'))).toBe(true);
    expect(readFileSync(path.join(cli.dir, 'key'), 'utf8')).not.toContain(NEW_KEY);
  });

  it('takes the endpoint and the key file from VIGIL_ENDPOINT and VIGIL_KEY_FILE, as the agent does', async () => {
    enrollCli();
    const seen: Seen[] = [];
    const endpoint = await enrollServer(ENROLLED, seen);
    writeConfig(cli.dir, 'endpoint: https://old.example/ingestReport\n');
    const keyFile = path.join(cli.dir, 'elsewhere', 'agent.key');
    cli.deps.env = { ...cli.deps.env, VIGIL_ENDPOINT: endpoint, VIGIL_KEY_FILE: keyFile };
    expect(await run('enroll', '--config', cli.configPath)).toBe(EXIT.ok);
    expect(seen).toHaveLength(1);
    expect(readFileSync(keyFile, 'utf8')).toBe(`${NEW_KEY}\n`);
    expect(cli.stdout.text).toContain(`Key written to ${keyFile}`);

    // Both key variables: the agent would refuse them, so enroll does, before sending.
    cli.deps.env.VIGIL_KEY = `vgl_abcdefghijklmnop_${'K'.repeat(43)}`;
    cli.stderr.text = '';
    expect(await run('enroll', '--config', cli.configPath)).toBe(EXIT.config);
    expect(cli.stderr.text).toMatch(/set VIGIL_KEY or VIGIL_KEY_FILE, not both/);
    expect(seen).toHaveLength(1);
  });

  it('refuses, before sending anything: no token, a malformed token, a bad endpoint, bad labels, an unwritable config', async () => {
    enrollCli();
    const seen: Seen[] = [];
    const endpoint = await enrollServer(ENROLLED, seen);
    const attempt = async (env: Record<string, string | undefined>, ...argv: string[]) => {
      cli.stderr.text = '';
      cli.deps.env = { ...cli.deps.env, ...env };
      return { code: await run('enroll', ...argv), stderr: cli.stderr.text };
    };

    expect(await attempt({ VIGIL_ENROLLMENT_TOKEN: undefined }, '--config', cli.configPath, '--endpoint', endpoint)).toEqual({
      code: EXIT.usage,
      stderr:
        'vigil-agent: enroll needs an enrollment token: set VIGIL_ENROLLMENT_TOKEN (which keeps it out of the process list) or pass --token TOKEN\n',
    });
    const wrong = await attempt({}, '--config', cli.configPath, '--endpoint', endpoint, '--token', 'vgl_secretsecretsecre_x');
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.stderr).toMatch(/the enrollment token is not one/);
    expect(wrong.stderr).not.toContain('secretsecret');

    cli.deps.env.VIGIL_ENROLLMENT_TOKEN = TOKEN;
    expect(await attempt({}, '--config', cli.configPath, '--endpoint', 'https://host/elsewhere')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/must be the ingestReport function/),
    });
    expect(await attempt({}, '--config', cli.configPath, '--endpoint', 'http://10.1.2.3/ingestReport')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/plain http:\/\/ to another machine/),
    });
    expect(await attempt({}, '--config', cli.configPath, '--endpoint', endpoint, '--label', 'Env=prod')).toMatchObject({
      code: EXIT.usage,
      stderr: expect.stringMatching(/--label: label key "Env" must start with a lower-case letter/),
    });
    expect(await attempt({}, '--config', cli.configPath, '--endpoint', endpoint, '--label', 'novalue')).toMatchObject({ code: EXIT.usage });
    expect(await attempt({}, '--config', cli.configPath, '--endpoint', endpoint, '--label', 'a=1', '--label', 'a=2')).toMatchObject({
      code: EXIT.usage,
      stderr: 'vigil-agent: --label a is given twice\n',
    });

    // A config directory that cannot exist (its parent is a file): root cannot write there either.
    const blocked = path.join(cli.dir, 'key', 'agent.yaml');
    expect(await attempt({}, '--config', blocked, '--endpoint', endpoint)).toMatchObject({
      code: EXIT.config,
      stderr: expect.stringMatching(/^vigil-agent: cannot write in .*key \((EEXIST|ENOTDIR)\): enroll writes the config and key file there/),
    });
    writeConfig(cli.dir, 'endpoint: [broken\n');
    expect(await attempt({}, '--config', cli.configPath, '--endpoint', endpoint)).toMatchObject({
      code: EXIT.config,
      stderr: expect.stringMatching(/is not valid YAML \(line \d+\): fix it or move it away/),
    });
    expect(seen).toHaveLength(0);
    expect(existsSync(path.join(cli.dir, 'etc'))).toBe(false);
  });

  it("gives the relay's enroll forward more time than a cold start, and less than enroll's own", () => {
    // Cut off by the relay while enrollAgent starts cold, an enrollment may have been made unheard.
    expect(RELAY_TIMEOUTS.enrollUplinkMs).toBeGreaterThanOrEqual(20_000);
    expect(RELAY_TIMEOUTS.enrollUplinkMs).toBeGreaterThan(RELAY_TIMEOUTS.uplinkMs);
    expect(RELAY_TIMEOUTS.enrollUplinkMs).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('refuses a machine without a machine id, sending nothing', async () => {
    enrollCli();
    const seen: Seen[] = [];
    const endpoint = await enrollServer(ENROLLED, seen);
    cli.deps.env[MACHINE_ID_FILE_VARIABLE] = path.join(cli.dir, 'no-such-id');
    expect(await run('enroll', '--config', cli.configPath, '--endpoint', endpoint)).toBe(EXIT.failure);
    expect(cli.stderr.text).toMatch(/this machine has no machine id/);
    expect(seen).toHaveLength(0);
  });
});
