// install.sh as agent/build.mjs builds it (agent/install.sh with the units of agent/systemd/ put in),
// run for real with --prefix into a temporary root: files, modes, the units, the
// config the core's schema accepts, refusals, re-runs, uninstall, the relay (--relay), and Node.js
// detection with fake package managers. systemctl is a stand-in that records its arguments
// (VIGIL_TEST_SYSTEMCTL). Never touches the real /etc, /usr or systemd.
import {
  AGENT_CONFIG_DEFAULTS,
  agentConfigFileSchema,
  ENROLLMENT_TOKEN_PATTERN,
  normalizeFingerprint,
  RELAY_CONFIG_DEFAULTS,
  RELAY_SUGGESTED_PORT,
  SOLUTION_CATALOG,
} from '@vigil/schema';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { EXIT } from '../src/cli/exit-codes.js';
import { buildInstallScript } from '../install-script.mjs';
import { pathWithout } from './support/path-without.js';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_SH_SOURCE = path.join(AGENT_DIR, 'install.sh');
/** The script the dashboard serves: the same text agent/build.mjs writes to dist/install.sh. */
const INSTALL_SH = buildInstallScript();
const UNIT_SOURCE = path.join(AGENT_DIR, 'systemd', 'vigil-agent.service');
const RELAY_UNIT_SOURCE = path.join(AGENT_DIR, 'systemd', 'vigil-relay.service');
const BUILT_BUNDLE = path.join(AGENT_DIR, 'dist', 'vigil-agent.mjs');

const SECRET = 'Kq3_SecretPartOfTheKey-ShouldNeverBePrinted';
const KEY = `vgl_abcdefghijklmnop_${SECRET}`;
const OTHER_KEY = `vgl_zyxwvutsrqponmlk_${'B'.repeat(43)}`;
const ENDPOINT = 'https://us-central1-acme.cloudfunctions.net/ingestReport';
/** --relay with the listen address it needs: every interface, as on a host with only a LAN side. */
const RELAY_ARGS = ['--relay', '--relay-listen', `0.0.0.0:${RELAY_SUGGESTED_PORT}`];

let dir: string;
let root: string;
let bundle: string;

interface Run {
  status: number | null;
  output: string;
}

/** Runs install.sh as `curl … | sh -s -- ARGS` does (the script arrives on standard input). */
async function install(args: string[], env: Record<string, string> = {}, script = INSTALL_SH): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-s', '--', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(script);
  });
}

const under = (...parts: string[]) => path.join(root, ...parts);
/** What the installer pins (its one home): the version of the Node.js it installs for the agent. */
const NODE_RUNTIME_VERSION = /^NODE_RUNTIME_VERSION=(\S+)$/m.exec(INSTALL_SH)?.[1] ?? 'missing';
/** The os-release of the host under the prefix, which install.sh reads there. */
async function writeOsRelease(content: string) {
  await mkdir(under('etc'), { recursive: true });
  await writeFile(under('etc/os-release'), content);
}
/** An http://127.0.0.1 URL where nothing listens (a port just closed): a Node.js mirror out of reach. */
async function unreachableMirror(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/dist`;
}
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const firstInstall = (extra: string[] = [], env: Record<string, string> = {}) =>
  install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root, ...extra], env);

/** The node an install run chose and checked, as it says (`using Node.js v20.11.1 at /usr/bin/node`). */
function chosenNode(run: Run): string {
  const node = /^vigil: using Node\.js \S+ at (\S+)$/m.exec(run.output)?.[1];
  if (!node) throw new Error(`no node chosen in:\n${run.output}`);
  return node;
}

/** A unit of agent/systemd/ as install.sh installs it: ExecStart runs that node by its absolute path. */
async function installedUnit(source: string, node: string): Promise<string> {
  const unit = await readFile(source, 'utf8');
  expect(unit).toContain('\nExecStart=/usr/bin/env node /usr/local/lib/vigil/vigil-agent.mjs ');
  return unit.replace('\nExecStart=/usr/bin/env node ', `\nExecStart=${node} `);
}

/** The `KEY=value` lines of a unit file. */
const directivesOf = (unit: string) =>
  unit
    .split('\n')
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => line.trim());

/** A systemctl stand-in: install.sh calls it (even with --prefix) and it records each call's arguments. */
async function fakeSystemctl(): Promise<{ env: Record<string, string>; calls: () => Promise<string[]> }> {
  const script = path.join(dir, 'systemctl');
  const log = path.join(dir, 'systemctl.log');
  await writeFile(script, `#!/bin/sh\necho "$*" >>"${log}"\n`);
  await chmod(script, 0o755);
  return {
    env: { VIGIL_TEST_SYSTEMCTL: script },
    calls: async () => (existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : []),
  };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-install-'));
  root = path.join(dir, 'root');
  if (existsSync(BUILT_BUNDLE)) {
    bundle = BUILT_BUNDLE;
  } else {
    bundle = path.join(dir, 'vigil-agent.mjs');
    await writeFile(bundle, '#!/usr/bin/env node\nconsole.log("stand-in for the agent bundle");\n');
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('install.sh --prefix', () => {
  it('installs the bundle, a private config, the spool directory and the unit', async () => {
    const run = await firstInstall();
    expect(run.status, run.output).toBe(0);

    expect(await readFile(under('usr/local/lib/vigil/vigil-agent.mjs'), 'utf8')).toBe(await readFile(bundle, 'utf8'));
    expect(await modeOf(under('usr/local/lib/vigil/vigil-agent.mjs'))).toBe(0o644);
    expect(await modeOf(under('usr/local/bin/vigil-agent'))).toBe(0o755);
    // The command runs the node the service runs, by its absolute path (it may be on no PATH).
    expect(await readFile(under('usr/local/bin/vigil-agent'), 'utf8')).toContain(
      `\nexec ${chosenNode(run)} /usr/local/lib/vigil/vigil-agent.mjs "$@"\n`,
    );
    expect(await modeOf(under('etc/vigil'))).toBe(0o700);
    expect(await modeOf(under('etc/vigil/agent.yaml'))).toBe(0o600);
    expect(await modeOf(under('var/lib/vigil'))).toBe(0o700);
    expect(await modeOf(under('etc/systemd/system/vigil-agent.service'))).toBe(0o644);
    expect(existsSync(under('etc/systemd/system/vigil-agent.service.d'))).toBe(false);
    // No leftovers of the atomic writes.
    expect(spawnSync('find', [root, '-name', '.*'], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });

  it('writes a config with endpoint and key that the agent schema accepts, with the documented defaults', async () => {
    expect((await firstInstall()).status).toBe(0);
    const text = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    expect(text).toMatch(new RegExp(`^endpoint: ${ENDPOINT}$`, 'm'));
    expect(text).toMatch(new RegExp(`^key: ${KEY}$`, 'm'));

    const parsed = agentConfigFileSchema.safeParse(parseYaml(text));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ endpoint: ENDPOINT, key: KEY, ...AGENT_CONFIG_DEFAULTS });

    // Uncommenting every commented default (but key_file, which replaces key) changes nothing.
    const uncommented = text
      .split('\n')
      .map((line) => (line.startsWith('# ') && /^# [a-z_]+: /.test(line) && !line.startsWith('# key_file') ? line.slice(2) : line))
      .join('\n');
    const withDefaults = agentConfigFileSchema.safeParse(parseYaml(uncommented));
    expect(withDefaults.success, JSON.stringify(withDefaults.error?.issues)).toBe(true);
    expect(withDefaults.data).toEqual(parsed.data);
  });

  it.runIf(existsSync(BUILT_BUNDLE))('leaves an agent that runs with the config it wrote (the real bundle)', async () => {
    expect((await firstInstall()).status).toBe(0);
    const everySolution = Object.keys(SOLUTION_CATALOG).join(',');
    const collect = spawnSync(
      process.execPath,
      [under('usr/local/lib/vigil/vigil-agent.mjs'), 'collect', '--json', '--config', under('etc/vigil/agent.yaml')],
      {
        encoding: 'utf8',
        // Nothing to inspect: this proves the agent's own loader accepts the file, not the plugins.
        env: { ...process.env, VIGIL_SKIP_SOLUTIONS: everySolution },
        timeout: 60_000,
      },
    );
    expect(collect.status, collect.stderr).toBe(0);
    expect(JSON.parse(collect.stdout)).toMatchObject({ solutions: [] });
  });

  it('carries each unit of agent/systemd/ once, and its source refuses to install empty units', async () => {
    for (const unit of [UNIT_SOURCE, RELAY_UNIT_SOURCE]) expect(INSTALL_SH.split(await readFile(unit, 'utf8')).length - 1, unit).toBe(1);
    expect(INSTALL_SH).not.toMatch(/^#include /m);
    const run = await install(
      ['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root],
      {},
      await readFile(INSTALL_SH_SOURCE, 'utf8'),
    );
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('this is the source of install.sh: run agent/dist/install.sh');
    for (const top of ['etc', 'usr', 'var']) expect(existsSync(under(top)), top).toBe(false);
  });

  it('never prints the key', async () => {
    const runs = [
      await firstInstall(),
      await install(['--key', KEY, '--endpoint', ENDPOINT, '--prefix', root]),
      await install(['--key', `${KEY}x`, '--endpoint', ENDPOINT, '--prefix', root]),
      await install(['--kee', KEY, '--endpoint', ENDPOINT, '--prefix', root]),
      await install(['--endpoint', 'ftp://nope', '--prefix', root], { VIGIL_KEY: KEY }),
      await install(['--uninstall', '--prefix', root]),
    ];
    for (const run of runs) {
      expect(run.output).not.toContain(SECRET);
      expect(run.output).not.toContain('abcdefghijklmnop_K');
    }
  });

  it('runs nothing at all when the download is cut short', async () => {
    const script = INSTALL_SH;
    const cut = path.join(dir, 'cut.sh');
    for (const fraction of [0.2, 0.5, 0.8, 0.99]) {
      await writeFile(cut, script.slice(0, Math.floor(script.length * fraction)));
      spawnSync('sh', [cut, '--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], { encoding: 'utf8' });
      expect(existsSync(root), `cut at ${fraction}`).toBe(false);
    }
  });

  it('an install of a bundle removes the agent’s own update, so the bundle just installed runs; a re-run without one keeps it', async () => {
    expect((await firstInstall()).status).toBe(0);
    const update = under('var/lib/vigil/update');
    await mkdir(path.join(update, 'a'.repeat(64)), { recursive: true });
    await writeFile(path.join(update, 'state.json'), '{"bad":[]}\n');
    const kept = await install(['--prefix', root]);
    expect(kept.status, kept.output).toBe(0);
    expect(existsSync(path.join(update, 'state.json'))).toBe(true);
    const replaced = await install(['--bundle', bundle, '--prefix', root]);
    expect(replaced.status, replaced.output).toBe(0);
    expect(replaced.output).toContain(`removed the agent's self-update (${update})`);
    expect(existsSync(update)).toBe(false);
    expect(existsSync(under('var/lib/vigil'))).toBe(true);
  });

  it('accepts the key from VIGIL_KEY, which keeps it out of the process list', async () => {
    const run = await install(['--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], { VIGIL_KEY: KEY });
    expect(run.status, run.output).toBe(0);
    expect(await readFile(under('etc/vigil/agent.yaml'), 'utf8')).toMatch(new RegExp(`^key: ${KEY}$`, 'm'));
  });
});

describe('the unit', () => {
  let unit: string;
  beforeAll(async () => {
    unit = await readFile(UNIT_SOURCE, 'utf8');
  });
  const directives = () => directivesOf(unit);

  it('runs the bundled agent with its config and restarts it on failure', () => {
    expect(directives()).toEqual(
      expect.arrayContaining([
        'ExecStart=/usr/bin/env node /usr/local/lib/vigil/vigil-agent.mjs run --config /etc/vigil/agent.yaml',
        'Restart=on-failure',
        'StateDirectory=vigil',
        'WantedBy=multi-user.target',
      ]),
    );
    // The exit of an agent that installed its own update (EXIT.restartForUpdate) must restart it.
    const prevented = directives().find((line) => line.startsWith('RestartPreventExitStatus='));
    expect(prevented?.split('=')[1]?.split(' ')).not.toContain(String(EXIT.restartForUpdate));
  });

  it('is hardened without taking what the checks need', () => {
    const set = directives();
    expect(set).toEqual(
      expect.arrayContaining([
        'NoNewPrivileges=yes',
        'ProtectSystem=full',
        'ProtectHome=read-only',
        'PrivateTmp=yes',
        'ProtectKernelTunables=yes',
        'ProtectKernelModules=yes',
        'RestrictSUIDSGID=yes',
        'LockPersonality=yes',
      ]),
    );
    expect(set.some((line) => line.startsWith('MemoryMax='))).toBe(true);
    expect(set.some((line) => line.startsWith('CPUQuota='))).toBe(true);
    // Node's JIT needs writable+executable memory; the checks need root's capabilities and a real User.
    for (const forbidden of ['MemoryDenyWriteExecute', 'CapabilityBoundingSet', 'User', 'DynamicUser', 'ProtectSystem=strict']) {
      expect(set.some((line) => line.startsWith(forbidden))).toBe(false);
    }
  });

  it('passes systemd-analyze verify where systemd-analyze exists', () => {
    const analyze = spawnSync('systemd-analyze', ['verify', UNIT_SOURCE], { encoding: 'utf8' });
    if (analyze.error) return; // Not installed: nothing to ask.
    expect(analyze.stderr.trim()).toBe('');
    expect(analyze.status).toBe(0);
  });
});

describe('refusals', () => {
  it.each([
    ['a malformed key', ['--key', 'vgl_short_key', '--endpoint', ENDPOINT], /not a Vigil agent key/],
    ['a key with an upper-case key id', ['--key', `vgl_ABCDEFGHIJKLMNOP_${SECRET}`, '--endpoint', ENDPOINT], /not a Vigil agent key/],
    ['a key with a trailing extra character', ['--key', `${KEY}=`, '--endpoint', ENDPOINT], /not a Vigil agent key/],
    ['no key nor token', ['--endpoint', ENDPOINT], /--token is required/],
    ['no endpoint', ['--key', KEY], /--endpoint is required/],
    ['an ftp endpoint', ['--key', KEY, '--endpoint', 'ftp://example.com/ingest'], /--endpoint must be an http/],
    ['an endpoint with a space', ['--key', KEY, '--endpoint', 'https://example.com/a b'], /--endpoint must be an http/],
    ['an endpoint that breaks YAML', ['--key', KEY, '--endpoint', 'https://example.com/#x'], /--endpoint must be an http/],
    ['a missing bundle', ['--key', KEY, '--endpoint', ENDPOINT, '--bundle', '/nonexistent/vigil-agent.mjs'], /no such file/],
    ['an unknown option', ['--key', KEY, '--endpoint', ENDPOINT, '--frobnicate'], /unknown option/],
    ['--purge without --uninstall', ['--key', KEY, '--endpoint', ENDPOINT, '--purge'], /--purge goes with --uninstall/],
  ])('refuses %s and installs nothing', async (_name, args, message) => {
    const run = await install([...args, ...(args.includes('--bundle') ? [] : ['--bundle', bundle]), '--prefix', root]);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(message);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
    expect(existsSync(under('usr/local/lib/vigil/vigil-agent.mjs'))).toBe(false);
  });

  it('refuses a bundle that is not JavaScript and keeps the working one', async () => {
    expect((await firstInstall()).status).toBe(0);
    const broken = path.join(dir, 'broken.mjs');
    await writeFile(broken, '<html><body>404 Not Found</body></html>\n');
    const run = await install(['--bundle', broken, '--prefix', root]);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/not JavaScript/);
    expect(await readFile(under('usr/local/lib/vigil/vigil-agent.mjs'), 'utf8')).toBe(await readFile(bundle, 'utf8'));
  });

  it('needs root without --prefix', async () => {
    if (process.getuid?.() !== 0) {
      const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle]);
      expect(run.output).toMatch(/run as root/);
      return;
    }
    // As root the same check passes; `--help` proves the script parses without touching anything.
    const run = await install(['--help']);
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/--uninstall/);
  });
});

describe('--token', () => {
  const TOKEN_SECRET = 'Tq9_TokenSecretPartThatMustNeverBePrinted00';
  const TOKEN = `vgle_qrstuvwxyzabcdef_${TOKEN_SECRET}`;
  const ENROLLED_KEY = `vgl_enrolledkeyidabc_${'E'.repeat(43)}`;
  let standIn: string;
  let calls: string;

  /**
   * A stand-in for the bundle until `vigil-agent enroll` can run against the emulators here: it
   * records the arguments and the VIGIL_ENROLLMENT_TOKEN it was given, and as `enroll` writes a key
   * to the config's key_file (0600), or fails with the exit code in STANDIN_ENROLL_EXIT.
   */
  beforeEach(async () => {
    standIn = path.join(dir, 'stand-in-agent.mjs');
    calls = path.join(dir, 'calls.jsonl');
    await writeFile(
      standIn,
      `import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ args, token: process.env.VIGIL_ENROLLMENT_TOKEN ?? null }) + '\\n');
if (args[0] === 'enroll') {
  if (process.env.STANDIN_ENROLL_EXIT) { console.error('enroll: the token was refused: revoked'); process.exit(Number(process.env.STANDIN_ENROLL_EXIT)); }
  const config = readFileSync(args[args.indexOf('--config') + 1], 'utf8');
  const keyFile = /^key_file: (\\S+)/m.exec(config)[1];
  writeFileSync(keyFile, ${JSON.stringify(ENROLLED_KEY)} + '\\n', { mode: 0o600 });
  console.log('enrolled as web-1 (agent a1), new\\nNext: vigil-agent once --config ' + args[args.indexOf('--config') + 1]);
}
`,
    );
  });

  const recorded = async () =>
    existsSync(calls)
      ? (await readFile(calls, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { args: string[]; token: string | null })
      : [];
  const tokenInstall = (extra: string[] = [], env: Record<string, string> = {}) =>
    install(['--token', TOKEN, '--endpoint', ENDPOINT, '--bundle', standIn, '--prefix', root, ...extra], env);

  it('exchanges the token through the bundle’s enroll, in its environment and never its arguments; agent.yaml gets key_file and no key', async () => {
    const run = await tokenInstall();
    expect(run.status, run.output).toBe(0);
    const enrolls = (await recorded()).filter((call) => call.args[0] === 'enroll');
    expect(enrolls).toHaveLength(1);
    const [enroll] = enrolls;
    expect(enroll!.token).toBe(TOKEN);
    expect(enroll!.args.slice(0, 3)).toEqual(['enroll', '--endpoint', ENDPOINT]);
    expect(enroll!.args[3]).toBe('--config');
    // A staged config beside agent.yaml, which replaces it only after enroll succeeded.
    expect(path.dirname(enroll!.args[4]!)).toBe(under('etc/vigil'));
    expect(enroll!.args).toHaveLength(5);
    expect(JSON.stringify(enroll!.args)).not.toContain(TOKEN_SECRET);

    const text = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    expect(text).not.toMatch(/^#? ?key:/m);
    expect(text).not.toContain(ENROLLED_KEY);
    const parsed = agentConfigFileSchema.safeParse(parseYaml(text));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ endpoint: ENDPOINT, key_file: under('etc/vigil/key'), ...AGENT_CONFIG_DEFAULTS });
    expect(parsed.data?.key).toBeUndefined();
    expect(text.match(/key_file:/g)).toHaveLength(1);
    expect(await readFile(under('etc/vigil/key'), 'utf8')).toBe(`${ENROLLED_KEY}\n`);
    expect(await modeOf(under('etc/vigil/agent.yaml'))).toBe(0o600);
    // enroll's first line only: the rest names the staged file, and steps the installer takes itself.
    expect(run.output).toMatch(/^vigil: enrolled as web-1 \(agent a1\), new$/m);
    expect(run.output).not.toContain('Next:');
    expect(run.output).toContain(`the key is in ${under('etc/vigil/key')} (mode 0600)`);
    expect(run.output).not.toContain(TOKEN_SECRET);
    expect(spawnSync('find', [root, '-name', '.*'], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });

  it('takes the token from VIGIL_ENROLLMENT_TOKEN too, and passes it on to enroll alone', async () => {
    // Another program the installer runs (systemctl, here its stand-in) says what it inherited.
    const systemctl = path.join(dir, 'systemctl');
    const inherited = path.join(dir, 'inherited');
    await writeFile(systemctl, `#!/bin/sh\necho "\${VIGIL_ENROLLMENT_TOKEN:-none} \${VIGIL_KEY:-none}" >>"${inherited}"\n`);
    await chmod(systemctl, 0o755);
    const run = await install(['--endpoint', ENDPOINT, '--bundle', standIn, '--prefix', root], {
      VIGIL_ENROLLMENT_TOKEN: TOKEN,
      VIGIL_TEST_SYSTEMCTL: systemctl,
    });
    expect(run.status, run.output).toBe(0);
    expect((await recorded()).find((call) => call.args[0] === 'enroll')?.token).toBe(TOKEN);
    const lines = (await readFile(inherited, 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines)).toEqual(new Set(['none none']));
  });

  it('leaves the host as it was when enroll fails, and says so', async () => {
    expect((await firstInstall()).status).toBe(0);
    const before = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    const run = await tokenInstall(['--force-enroll'], { STANDIN_ENROLL_EXIT: '7' });
    // enroll's own exit code: 7 says the server refused the token (retrying will not help).
    expect(run.status).toBe(7);
    expect(run.output).toContain('the token was refused: revoked');
    expect(run.output).toMatch(/enrollment refused .*agent\.yaml and the key were left as they were/);
    expect(run.output).toMatch(/Check the token in the dashboard/);
    expect(await readFile(under('etc/vigil/agent.yaml'), 'utf8')).toBe(before);
    expect(existsSync(under('etc/vigil/key'))).toBe(false);
    expect(spawnSync('find', [under('etc/vigil'), '-name', '.*'], { encoding: 'utf8' }).stdout.trim()).toBe('');
    expect(run.output).not.toContain(TOKEN_SECRET);

    await rm(root, { recursive: true, force: true });
    const first = await tokenInstall([], { STANDIN_ENROLL_EXIT: '7' });
    expect(first.status).toBe(7);
    // A first install whose enrolment fails installs nothing: no bundle, no command, no config.
    for (const file of ['etc/vigil', 'etc/systemd/system/vigil-agent.service', 'usr/local/bin/vigil-agent', 'usr/local/lib/vigil']) {
      expect(existsSync(under(file)), file).toBe(false);
    }

    // Any other failure (the endpoint out of reach): enroll's code too, and no word about the token.
    const unreachable = await tokenInstall([], { STANDIN_ENROLL_EXIT: '1' });
    expect(unreachable.status).toBe(1);
    expect(unreachable.output).toMatch(/enrollment failed /);
    expect(unreachable.output).not.toMatch(/Check the token/);
    expect(existsSync(under('usr/local/bin/vigil-agent'))).toBe(false);
  });

  it('writes --relay-fingerprint to agent.yaml when the host keeps its key, instead of dropping it', async () => {
    expect((await tokenInstall()).status).toBe(0);
    const relayEndpoint = 'https://10.0.0.5:8443/ingest';
    const kept = await install(['--token', TOKEN, '--endpoint', relayEndpoint, '--relay-fingerprint', 'AB:'.repeat(31) + 'AB', '--prefix', root]);
    expect(kept.status, kept.output).toBe(0);
    expect(kept.output).toContain('already has a key');
    expect((await recorded()).filter((call) => call.args[0] === 'enroll')).toHaveLength(1);
    const text = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    expect(parseYaml(text)).toMatchObject({ endpoint: relayEndpoint, relay_fingerprint: 'ab'.repeat(32), key_file: under('etc/vigil/key') });
    expect(text.match(/^relay_fingerprint:/gm)).toHaveLength(1);
    // A fingerprint of digits alone stays a string (quoted), and a second run replaces the line.
    const digits = '1'.repeat(64);
    expect((await install(['--token', TOKEN, '--endpoint', relayEndpoint, '--relay-fingerprint', digits, '--prefix', root])).status).toBe(0);
    const again = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    expect(parseYaml(again)).toMatchObject({ relay_fingerprint: digits });
    expect(again.match(/^relay_fingerprint:/gm)).toHaveLength(1);
    expect(agentConfigFileSchema.safeParse(parseYaml(again)).success).toBe(true);
  });

  it.each([
    ['a key followed by a second line', () => ['--key', `${KEY}\nallow_insecure_http: true`, '--endpoint', ENDPOINT], /not a Vigil agent key/],
    [
      'a token followed by a second line',
      () => ['--token', `${TOKEN}\nallow_insecure_http: true`, '--endpoint', ENDPOINT],
      /not a Vigil enrollment token/,
    ],
    ['a second line after the key (VIGIL_KEY)', () => ['--endpoint', ENDPOINT], /not a Vigil agent key/, { VIGIL_KEY: `junk\n${KEY}` }],
    [
      'a fingerprint followed by a second line',
      () => ['--token', TOKEN, '--endpoint', ENDPOINT, '--relay-fingerprint', `${'ab'.repeat(32)}\nallow_insecure_http: true`],
      /--relay-fingerprint must be/,
    ],
  ] as [string, () => string[], RegExp, Record<string, string>?][])('refuses %s, installing nothing', async (_name, args, message, env) => {
    const run = await install([...args(), '--bundle', standIn, '--prefix', root], env ?? {});
    expect(run.status).toBe(1);
    expect(run.output).toMatch(message);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
    expect(run.output).not.toContain(SECRET);
    expect(run.output).not.toContain(TOKEN_SECRET);
  });

  it('keeps the key of an enrolled host unless --force-enroll, which replaces an inline key: with key_file', async () => {
    expect((await firstInstall()).status).toBe(0);
    const config = under('etc/vigil/agent.yaml');
    await writeFile(config, `${await readFile(config, 'utf8')}interval_seconds: 600\n`);
    const kept = await tokenInstall();
    expect(kept.status, kept.output).toBe(0);
    expect(kept.output).toContain('already has a key');
    expect((await recorded()).some((call) => call.args[0] === 'enroll')).toBe(false);
    expect(parseYaml(await readFile(config, 'utf8'))).toMatchObject({ key: KEY, interval_seconds: 600 });

    const forced = await tokenInstall(['--force-enroll']);
    expect(forced.status, forced.output).toBe(0);
    const text = await readFile(config, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(parseYaml(text)).toMatchObject({ key_file: under('etc/vigil/key'), interval_seconds: 600, endpoint: ENDPOINT });
    expect(agentConfigFileSchema.safeParse(parseYaml(text)).success).toBe(true);
    expect(await readFile(under('etc/vigil/key'), 'utf8')).toBe(`${ENROLLED_KEY}\n`);
    // Enrolled now: the next run keeps that key file.
    const again = await tokenInstall();
    expect(again.output).toContain('already has a key');
    expect((await recorded()).filter((call) => call.args[0] === 'enroll')).toHaveLength(1);
  });

  it.each([
    ['a malformed token', ['--token', 'vgle_short', '--endpoint', ENDPOINT], /not a Vigil enrollment token/],
    ['an agent key given as the token', ['--token', KEY, '--endpoint', ENDPOINT], /not a Vigil enrollment token/],
    ['a token without an endpoint', ['--token', TOKEN], /--token needs --endpoint/],
    ['a token and a key', ['--token', TOKEN, '--key', KEY, '--endpoint', ENDPOINT], /--token .* or --key .*, not both/],
    ['--force-enroll without a token', ['--key', KEY, '--endpoint', ENDPOINT, '--force-enroll'], /--force-enroll goes with --token/],
  ])('refuses %s and installs nothing, printing no secret', async (_name, args, message) => {
    const run = await install([...args, '--bundle', standIn, '--prefix', root]);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(message);
    expect(run.output).not.toContain(TOKEN_SECRET);
    expect(run.output).not.toContain(SECRET);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
  });

  it('passes --relay-fingerprint to enroll, as relay_fingerprint takes it, for a host behind a relay', async () => {
    const pin = 'AB:'.repeat(31) + 'AB';
    const run = await tokenInstall(['--relay-fingerprint', pin]);
    expect(run.status, run.output).toBe(0);
    const enroll = (await recorded()).find((call) => call.args[0] === 'enroll');
    expect(enroll?.args.slice(5)).toEqual(['--relay-fingerprint', 'ab'.repeat(32)]);
    expect(normalizeFingerprint(pin)).toBe('ab'.repeat(32));

    const malformed = await tokenInstall(['--relay-fingerprint', 'ab12']);
    expect(malformed.status).toBe(1);
    expect(malformed.output).toContain('--relay-fingerprint must be the SHA-256');
    const withKey = await install([
      '--key',
      KEY,
      '--endpoint',
      ENDPOINT,
      '--relay-fingerprint',
      'ab'.repeat(32),
      '--bundle',
      standIn,
      '--prefix',
      root,
    ]);
    expect(withKey.status).toBe(1);
    expect(withKey.output).toContain('--relay-fingerprint goes with --token');
  });

  it("keeps the installer's token pattern equal to the schema's", () => {
    const pattern = /^TOKEN_PATTERN='(.*)'$/m.exec(INSTALL_SH)?.[1];
    // The schema's groups capture the token id and secret; grep -E needs none.
    expect(pattern).toBe(ENROLLMENT_TOKEN_PATTERN.source.replace(/[()]/g, ''));
    expect(TOKEN).toMatch(ENROLLMENT_TOKEN_PATTERN);
  });

  it('warns that a key on the command line lands in shell history, and not for VIGIL_KEY', async () => {
    const onCommandLine = await firstInstall();
    expect(onCommandLine.output).toMatch(/warning: a key given with --key lands in shell history/);
    await rm(root, { recursive: true, force: true });
    const fromEnvironment = await install(['--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], { VIGIL_KEY: KEY });
    expect(fromEnvironment.status, fromEnvironment.output).toBe(0);
    expect(fromEnvironment.output).not.toMatch(/shell history/);
  });
});

describe('re-running', () => {
  it('changes the key and endpoint and keeps the other settings', async () => {
    expect((await firstInstall()).status).toBe(0);
    const config = under('etc/vigil/agent.yaml');
    await writeFile(config, `${await readFile(config, 'utf8')}interval_seconds: 600\n`);
    const newEndpoint = 'https://europe-west1-acme.cloudfunctions.net/ingestReport';
    const run = await install(['--key', OTHER_KEY, '--endpoint', newEndpoint, '--prefix', root]);
    expect(run.status, run.output).toBe(0);

    const text = await readFile(config, 'utf8');
    expect(text).not.toContain(KEY);
    expect(parseYaml(text)).toMatchObject({ key: OTHER_KEY, endpoint: newEndpoint, interval_seconds: 600 });
    expect(await modeOf(config)).toBe(0o600);
  });

  it('upgrades only the bundle when given only a bundle', async () => {
    expect((await firstInstall()).status).toBe(0);
    const before = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    const newer = path.join(dir, 'newer.mjs');
    await writeFile(newer, 'console.log("newer");\n');
    const run = await install(['--bundle', newer, '--prefix', root]);
    expect(run.status, run.output).toBe(0);
    expect(await readFile(under('usr/local/lib/vigil/vigil-agent.mjs'), 'utf8')).toBe('console.log("newer");\n');
    expect(await readFile(under('etc/vigil/agent.yaml'), 'utf8')).toBe(before);
  });
});

describe('--uninstall', () => {
  it('removes the bundle, unit and spool, and keeps /etc/vigil unless --purge', async () => {
    expect((await firstInstall()).status).toBe(0);
    await mkdir(under('var/lib/vigil/spool'), { recursive: true });
    await writeFile(under('var/lib/vigil/spool/0000000000000001-r-waiting-1.json'), '{}');

    const run = await install(['--uninstall', '--prefix', root]);
    expect(run.status, run.output).toBe(0);
    for (const gone of ['usr/local/lib/vigil', 'usr/local/bin/vigil-agent', 'etc/systemd/system/vigil-agent.service', 'var/lib/vigil']) {
      expect(existsSync(under(gone)), gone).toBe(false);
    }
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(true);
    expect(run.output).toMatch(/kept .*etc\/vigil/);

    const purge = await install(['--uninstall', '--purge', '--prefix', root]);
    expect(purge.status, purge.output).toBe(0);
    expect(existsSync(under('etc/vigil'))).toBe(false);
  });
});

describe('--from', () => {
  let server: Server;
  let origin: string;
  let served: string;
  const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');
  /** Nothing at all under the root: not the bundle, not the config, not a directory. */
  const nothingInstalled = () => !existsSync(root) || spawnSync('find', [root, '-mindepth', '1'], { encoding: 'utf8' }).stdout.trim() === '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/vigil-agent.mjs') response.writeHead(200, { 'content-type': 'text/javascript' }).end(served);
      // A redirect to plain http (here to this same server: what matters is the scheme).
      else if (request.url === '/moved/vigil-agent.mjs') response.writeHead(302, { location: `${origin}/vigil-agent.mjs` }).end();
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads the bundle from the dashboard origin and checks its SHA-256', async () => {
    served = 'console.log("downloaded agent");\n';
    const run = await install([
      '--key',
      KEY,
      '--endpoint',
      ENDPOINT,
      '--from',
      `${origin}/`,
      '--sha256',
      sha256Of(served).toUpperCase(),
      '--prefix',
      root,
    ]);
    expect(run.status, run.output).toBe(0);
    expect(await readFile(under('usr/local/lib/vigil/vigil-agent.mjs'), 'utf8')).toBe(served);
    expect(run.output).toContain('SHA-256 checked');
  });

  it('stops before installing anything when the bundle does not match its SHA-256', async () => {
    served = 'console.log("a bundle somebody swapped");\n';
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--from', origin, '--sha256', sha256Of('the real bundle'), '--prefix', root]);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain(`the agent bundle from ${origin}/vigil-agent.mjs does not match its SHA-256`);
    expect(nothingInstalled()).toBe(true);
    // The same for a --bundle file.
    const local = path.join(dir, 'copied.mjs');
    await writeFile(local, served);
    const copied = await install([
      '--key',
      KEY,
      '--endpoint',
      ENDPOINT,
      '--bundle',
      local,
      '--sha256',
      sha256Of('the real bundle'),
      '--prefix',
      root,
    ]);
    expect(copied.status, copied.output).toBe(1);
    expect(copied.output).toContain(`the agent bundle ${local} does not match its SHA-256`);
    expect(nothingInstalled()).toBe(true);
  });

  it('will not download without a SHA-256 to check, nor with a malformed one', async () => {
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--from', origin, '--prefix', root]);
    expect(run.status).toBe(1);
    expect(run.output).toContain('--from needs --sha256');
    const malformed = await install(['--key', KEY, '--endpoint', ENDPOINT, '--from', origin, '--sha256', 'abc', '--prefix', root]);
    expect(malformed.status).toBe(1);
    expect(malformed.output).toContain('--sha256 must be 64 hex digits');
    expect(nothingInstalled()).toBe(true);
  });

  it('follows no redirect to plain http', async () => {
    served = 'console.log("downloaded agent");\n';
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--from', `${origin}/moved`, '--sha256', sha256Of(served), '--prefix', root]);
    expect(run.status, run.output).toBe(1);
    expect(run.output).toMatch(/could not download/);
    expect(nothingInstalled()).toBe(true);
  });

  it('stops when the download fails', async () => {
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--from', `${origin}/missing`, '--sha256', sha256Of('x'), '--prefix', root]);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/could not download/);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
  });
});

describe('plain http', () => {
  const refusals = [
    'http://10.0.0.2:5001/ingestReport',
    'http://dashboard.example.com',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example/x',
  ];

  it('is refused for --from and --endpoint unless the host is this machine', async () => {
    for (const url of refusals) {
      const from = await install(['--key', KEY, '--endpoint', ENDPOINT, '--from', url, '--sha256', 'a'.repeat(64), '--prefix', root]);
      expect(from.status, url).toBe(1);
      expect(from.output, url).toContain('--from uses plain http:// to another machine');
      const endpoint = await install(['--key', KEY, '--endpoint', url, '--bundle', bundle, '--prefix', root]);
      expect(endpoint.status, url).toBe(1);
      expect(endpoint.output, url).toContain('--endpoint uses plain http:// to another machine');
      expect(existsSync(root) && spawnSync('find', [root, '-mindepth', '1'], { encoding: 'utf8' }).stdout.trim()).toBeFalsy();
    }
    for (const url of ['http://127.0.0.1:5001/x', 'http://localhost:5001/x', 'http://[::1]:5001/x']) {
      const run = await install(['--key', KEY, '--endpoint', url, '--bundle', bundle, '--prefix', root]);
      expect(run.status, `${url}: ${run.output}`).toBe(0);
    }
  });

  it('is allowed to another machine with --allow-http, loudly, and the config says so', async () => {
    const run = await install(['--key', KEY, '--endpoint', 'http://10.0.0.2:5001/x', '--bundle', bundle, '--allow-http', '--prefix', root]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('warning: --endpoint uses plain http://');
    const parsed = agentConfigFileSchema.safeParse(parseYaml(await readFile(under('etc/vigil/agent.yaml'), 'utf8')));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ endpoint: 'http://10.0.0.2:5001/x', allow_insecure_http: true });
  });
});

describe('Node.js detection', () => {
  let fakeBin: string;

  /**
   * A Debian host (its os-release under the prefix) with a fake `node` (its --version from a file,
   * anything else real), `apt-cache` and `apt-get`.
   */
  async function fakeHost(nodeVersion: string, candidate: string) {
    await writeOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
    fakeBin = path.join(dir, 'bin');
    await mkdir(fakeBin, { recursive: true });
    await writeFile(path.join(fakeBin, 'node-version'), `${nodeVersion}\n`);
    await writeFile(path.join(fakeBin, 'candidate'), `${candidate}\n`);
    const scripts: Record<string, string> = {
      node: `#!/bin/sh\nif [ "$1" = --version ]; then echo >>"${fakeBin}/node-version.calls"; cat "${fakeBin}/node-version"; exit 0; fi\nexec ${process.execPath} "$@"\n`,
      'apt-cache': `#!/bin/sh\nprintf 'nodejs:\\n  Installed: (none)\\n  Candidate: %s\\n' "$(cat "${fakeBin}/candidate")"\n`,
      'apt-get': `#!/bin/sh\necho "$*" >>"${fakeBin}/apt-get.log"\ncase "$*" in *install*nodejs*) echo v18.19.0 >"${fakeBin}/node-version" ;; esac\n`,
    };
    for (const [name, content] of Object.entries(scripts)) {
      await writeFile(path.join(fakeBin, name), content);
      await chmod(path.join(fakeBin, name), 0o755);
    }
    return { PATH: `${fakeBin}:${process.env.PATH}`, VIGIL_SERVICE_PATH: fakeBin };
  }

  it("installs the distribution's nodejs when the installed one is too old and the distribution's is new enough", async () => {
    const env = await fakeHost('v16.20.2', '18.19.0+dfsg-6~deb12u2');
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], env);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/installing the distribution's nodejs 18\.19\.0/);
    expect(run.output).toMatch(/using Node\.js v18\.19\.0 at .*\/node$/m);
    expect(await readFile(path.join(fakeBin, 'apt-get.log'), 'utf8')).toBe('install -y -qq nodejs\n');
  });

  it("stops and says what to do when the distribution's nodejs is too old and the pinned Node.js cannot be downloaded", async () => {
    const env = await fakeHost('v12.22.12', '12.22.12~dfsg-1~deb11u4');
    const mirror = await unreachableMirror();
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--node-mirror', mirror, '--prefix', root], env);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/needs Node\.js 18\.3 or newer \(found v12\.22\.12 at .*\/node\)/);
    expect(run.output).toContain(`Could not download Node.js ${NODE_RUNTIME_VERSION} from ${mirror}/v${NODE_RUNTIME_VERSION}/node-v`);
    expect(run.output).toContain('--node-mirror URL');
    expect(existsSync(under('opt/vigil'))).toBe(false);
    // Asked once, and the answer kept for the check and the message.
    expect((await readFile(path.join(fakeBin, 'node-version.calls'), 'utf8')).split('\n').length - 1).toBe(1);
    expect(run.output).toMatch(/offers nodejs 12\.22\.12~dfsg-1~deb11u4, which is too old/);
    expect(run.output).toMatch(/nodejs\.org/);
    expect(existsSync(path.join(fakeBin, 'apt-get.log'))).toBe(false);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
  });

  it('counts Node 18.0-18.2 as too old, installed or offered (the agent needs 18.3)', async () => {
    const env = await fakeHost('v18.2.0', '18.2.0+dfsg-1');
    const run = await install(
      ['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--node-mirror', await unreachableMirror(), '--prefix', root],
      env,
    );
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/needs Node\.js 18\.3 or newer \(found v18\.2\.0 at .*\/node\)/);
    expect(run.output).toMatch(/offers nodejs 18\.2\.0\+dfsg-1, which is too old/);
    expect(existsSync(path.join(fakeBin, 'apt-get.log'))).toBe(false);
  });

  it('on SUSE and Arch, goes to the pinned Node.js without asking the package manager', async () => {
    for (const osRelease of ['ID="opensuse-leap"\nID_LIKE="suse opensuse"\nVERSION_ID="15.5"\n', 'ID=arch\n']) {
      const env = await fakeHost('v16.20.2', '18.19.0+dfsg-6~deb12u2');
      await writeOsRelease(osRelease);
      const mirror = await unreachableMirror();
      const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--node-mirror', mirror, '--prefix', root], env);
      expect(run.status, osRelease).toBe(1);
      expect(run.output).toMatch(/Its nodejs package is not used on the (suse|arch) family\. Installing Node\.js/);
      expect(run.output).toContain(`Could not download Node.js ${NODE_RUNTIME_VERSION} from ${mirror}/`);
      expect(existsSync(path.join(fakeBin, 'apt-get.log')), osRelease).toBe(false);
    }
  });

  it("replaces an installed Node 18.2 with the distribution's 18.19", async () => {
    const env = await fakeHost('v18.2.0', '18.19.0+dfsg-6~deb12u2');
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], env);
    expect(run.status, run.output).toBe(0);
    expect(await readFile(path.join(fakeBin, 'apt-get.log'), 'utf8')).toBe('install -y -qq nodejs\n');
  });

  it('runs the node it checked by its absolute path in ExecStart, and verify accepts the unit it wrote', async () => {
    const env = await fakeHost('v20.11.1', '18.19.0');
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], env);
    expect(run.status, run.output).toBe(0);
    const node = realpathSync(path.join(fakeBin, 'node'));
    expect(chosenNode(run)).toBe(node);
    const unitFile = under('etc/systemd/system/vigil-agent.service');
    const unit = await readFile(unitFile, 'utf8');
    expect(directivesOf(unit).filter((line) => line.startsWith('ExecStart='))).toEqual([
      `ExecStart=${node} /usr/local/lib/vigil/vigil-agent.mjs run --config /etc/vigil/agent.yaml`,
    ]);
    expect(unit).toBe(await installedUnit(UNIT_SOURCE, node));
    // No PATH of the service's own: the agent searches systemd's default PATH for the tools.
    expect(existsSync(under('etc/systemd/system/vigil-agent.service.d'))).toBe(false);
    const analyze = spawnSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8' });
    if (!analyze.error) {
      // The agent's own file is under --prefix, not at /usr/local/lib/vigil: only that may be missing.
      expect(analyze.stderr.split('\n').filter((line) => line.trim() && !line.includes('/usr/local/lib/vigil/vigil-agent.mjs'))).toEqual([]);
    }
  });

  it('puts a node that is not on systemd’s PATH in ExecStart too, and removes the PATH drop-in of older installers', async () => {
    const env = await fakeHost('v20.11.1', '18.19.0');
    const dropIns = under('etc/systemd/system/vigil-agent.service.d');
    await mkdir(dropIns, { recursive: true });
    await writeFile(path.join(dropIns, 'node-path.conf'), `[Service]\nEnvironment=PATH=${fakeBin}:/usr/bin\n`);
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], {
      ...env,
      VIGIL_SERVICE_PATH: path.join(dir, 'empty'),
    });
    expect(run.status, run.output).toBe(0);
    expect(await readFile(under('etc/systemd/system/vigil-agent.service'), 'utf8')).toBe(
      await installedUnit(UNIT_SOURCE, realpathSync(path.join(fakeBin, 'node'))),
    );
    expect(existsSync(dropIns)).toBe(false);
  });

  it('refuses a node that a user other than root could replace, and installs nothing', async () => {
    const env = await fakeHost('v20.11.1', '18.19.0');
    await chmod(fakeBin, 0o777);
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], env);
    expect(run.status).toBe(1);
    expect(run.output).toContain(`${realpathSync(fakeBin)} is writable by other users than its owner (mode 777)`);
    expect(run.output).toMatch(/Install Node\.js where only root can change it/);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
    expect(existsSync(under('etc/systemd/system/vigil-agent.service'))).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)('as root, refuses a node owned by another user', async () => {
    const env = await fakeHost('v20.11.1', '18.19.0');
    await chown(path.join(fakeBin, 'node'), 65534, 65534);
    const run = await install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', bundle, '--prefix', root], env);
    expect(run.status).toBe(1);
    expect(run.output).toContain(`${realpathSync(path.join(fakeBin, 'node'))} is owned by uid 65534`);
  });
});

describe('the distribution', () => {
  const ROCKY = 'NAME="Rocky Linux"\nVERSION_ID="9.3"\nID="rocky"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n';
  const ALPINE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
  /** This machine's PATH without node (nor a package manager that could install one). */
  const noNode = async () => {
    const bin = await pathWithout(path.join(dir, 'no-node'), ['node', 'nodejs', 'apt-get', 'apt-cache', 'dnf', 'yum']);
    return { PATH: bin, VIGIL_SERVICE_PATH: bin };
  };

  it('says which one it found, from os-release under the prefix, and uses a node that is new enough on any', async () => {
    await writeOsRelease(ROCKY);
    const rocky = await firstInstall();
    expect(rocky.status, rocky.output).toBe(0);
    expect(rocky.output).toContain(
      'distribution: Rocky Linux 9.3 (Blue Onyx) (ID=rocky, VERSION_ID=9.3, ID_LIKE=rhel centos fedora), of the rhel family',
    );

    await writeOsRelease(ALPINE);
    const alpine = await firstInstall();
    expect(alpine.status, alpine.output).toBe(0);
    expect(alpine.output).toContain('distribution: Alpine Linux v3.19 (ID=alpine, VERSION_ID=3.19.1), not one this installer knows');
    expect(existsSync(under('opt/vigil'))).toBe(false);
  });

  it('stops on one it does not know when it would have to install Node.js, naming it, what is supported and the ways out', async () => {
    await writeOsRelease(ALPINE);
    const run = await firstInstall([], await noNode());
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/needs Node\.js 18\.3 or newer \(none is installed\)/);
    expect(run.output).toContain('This is Alpine Linux v3.19 (ID=alpine, VERSION_ID=3.19.1): supported are Debian and Ubuntu');
    expect(run.output).toContain('--node-mirror https://nodejs.org/dist installs the pinned Node.js');
    expect(run.output).not.toMatch(/downloading Node\.js/);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
    expect(existsSync(under('opt/vigil'))).toBe(false);

    await rm(under('etc/os-release'));
    const unknown = await firstInstall([], await noNode());
    expect(unknown.status).toBe(1);
    expect(unknown.output).toContain(`This is an unknown distribution (no ID in ${under('usr/lib/os-release')})`);
  });

  it('reads os-release as data, never running it', async () => {
    const marker = path.join(dir, 'ran');
    await writeOsRelease(`ID=debian\nPRETTY_NAME="$(touch ${marker})"\nVERSION_ID=\`touch ${marker}\`\n`);
    const run = await firstInstall();
    expect(run.status, run.output).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(run.output).toMatch(/distribution: .*ID=debian.*of the debian family/);
  });

  it('stops on an architecture the pinned Node.js is not built for, and installs nothing', async () => {
    await writeOsRelease('ID=debian\nVERSION_ID="12"\n');
    const env = await noNode();
    // uname is the one program replaced: this machine is what it says it is.
    await rm(path.join(env.PATH, 'uname'));
    await writeFile(path.join(env.PATH, 'uname'), '#!/bin/sh\n[ "$1" = -m ] && echo riscv64 || echo Linux\n');
    await chmod(path.join(env.PATH, 'uname'), 0o755);
    const run = await firstInstall([], env);
    expect(run.status).toBe(1);
    expect(run.output).toContain('This machine is riscv64; the pinned Node.js is for x86_64 and aarch64 only.');
    expect(existsSync(under('opt/vigil'))).toBe(false);
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(false);
  });
});

describe('install.sh --relay', () => {
  const relayUnit = () => under('etc/systemd/system/vigil-relay.service');
  const defaultPort = String(RELAY_SUGGESTED_PORT);

  it('installs exactly agent/systemd/vigil-relay.service next to the agent and its unit', async () => {
    const run = await firstInstall([...RELAY_ARGS]);
    expect(run.status, run.output).toBe(0);
    expect(await readFile(relayUnit(), 'utf8')).toBe(await installedUnit(RELAY_UNIT_SOURCE, chosenNode(run)));
    expect(await modeOf(relayUnit())).toBe(0o644);
    expect(existsSync(under('etc/systemd/system/vigil-relay.service.d'))).toBe(false);
    // The relay host runs its own agent too.
    expect(await readFile(under('etc/systemd/system/vigil-agent.service'), 'utf8')).toBe(await installedUnit(UNIT_SOURCE, chosenNode(run)));
    expect(await modeOf(under('etc/vigil/agent.yaml'))).toBe(0o600);
  });

  it('adds a relay: section that the schema accepts, with the documented defaults', async () => {
    expect((await firstInstall([...RELAY_ARGS])).status).toBe(0);
    const text = await readFile(under('etc/vigil/agent.yaml'), 'utf8');
    const parsed = agentConfigFileSchema.safeParse(parseYaml(text));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({
      endpoint: ENDPOINT,
      key: KEY,
      relay: { listen: `0.0.0.0:${RELAY_SUGGESTED_PORT}`, ...RELAY_CONFIG_DEFAULTS },
    });
    expect(parsed.data?.relay?.uplink).toBeUndefined(); // so the relay forwards to `endpoint`

    // Every relay default is written, commented out, and uncommenting them all changes nothing.
    const commented = new RegExp(`^  # (${Object.keys(RELAY_CONFIG_DEFAULTS).join('|')}): `);
    const lines = text.split('\n');
    for (const field of Object.keys(RELAY_CONFIG_DEFAULTS).filter((name) => name !== 'listen')) {
      expect(
        lines.some((line) => line.startsWith(`  # ${field}: `)),
        field,
      ).toBe(true);
    }
    const uncommented = lines.map((line) => (commented.test(line) ? `  ${line.slice(4)}` : line)).join('\n');
    expect(uncommented).not.toBe(text);
    const withDefaults = agentConfigFileSchema.safeParse(parseYaml(uncommented));
    expect(withDefaults.success, JSON.stringify(withDefaults.error?.issues)).toBe(true);
    expect(withDefaults.data).toEqual(parsed.data);
  });

  it('needs the address to listen on, and writes the one given', async () => {
    const run = await firstInstall(['--relay']);
    expect(run.status).toBe(1);
    expect(run.output).toContain('--relay needs --relay-listen HOST:PORT');
    expect(existsSync(root) && spawnSync('find', [root, '-mindepth', '1'], { encoding: 'utf8' }).stdout.trim()).toBeFalsy();
    expect((await firstInstall(['--relay', '--relay-listen', 'not an address'])).output).toContain('--relay-listen must be HOST:PORT');

    const lan = await firstInstall(['--relay', '--relay-listen', '10.0.0.5:9443']);
    expect(lan.status, lan.output).toBe(0);
    const parsed = agentConfigFileSchema.parse(parseYaml(await readFile(under('etc/vigil/agent.yaml'), 'utf8')));
    expect(parsed.relay?.listen).toBe('10.0.0.5:9443');
    expect(lan.output).toMatch(/^ +endpoint: https:\/\/10\.0\.0\.5:9443\/ingest$/m);
  });

  it('installs no relay unit and no relay: section without --relay', async () => {
    expect((await firstInstall()).status).toBe(0);
    expect(existsSync(relayUnit())).toBe(false);
    expect(await readFile(under('etc/vigil/agent.yaml'), 'utf8')).not.toMatch(/^relay:/m);
  });

  it('enables and restarts the agent, and the relay with --relay', async () => {
    const systemctl = await fakeSystemctl();
    expect((await firstInstall([], systemctl.env)).status).toBe(0);
    expect(await systemctl.calls()).toEqual(['daemon-reload', 'enable vigil-agent.service', 'restart vigil-agent.service']);

    await rm(root, { recursive: true, force: true });
    await rm(path.join(dir, 'systemctl.log'));
    const run = await firstInstall([...RELAY_ARGS], systemctl.env);
    expect(run.status, run.output).toBe(0);
    expect(await systemctl.calls()).toEqual([
      'daemon-reload',
      'enable vigil-agent.service vigil-relay.service',
      'restart vigil-agent.service vigil-relay.service',
    ]);
    expect(run.output).toMatch(/the relay is running/);
  });

  it('with --no-start enables both units and starts neither', async () => {
    const systemctl = await fakeSystemctl();
    const run = await firstInstall([...RELAY_ARGS, '--no-start'], systemctl.env);
    expect(run.status, run.output).toBe(0);
    expect(await systemctl.calls()).toEqual(['daemon-reload', 'enable vigil-agent.service vigil-relay.service']);
    expect(run.output).toContain('sudo systemctl start vigil-agent.service vigil-relay.service');
  });

  it('prints the fingerprint command and the two lines each agent behind it needs', async () => {
    const run = await firstInstall([...RELAY_ARGS]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/^ +sudo vigil-agent relay fingerprint$/m);
    const hostName = spawnSync('uname', ['-n'], { encoding: 'utf8' }).stdout.trim();
    const endpointLine = run.output.match(/^ +(endpoint: .*)$/m)?.[1];
    const pinLine = run.output.match(/^ +(relay_fingerprint: .*)$/m)?.[1];
    expect(endpointLine).toBe(`endpoint: https://${hostName}:${defaultPort}/ingest`);
    expect(pinLine).toBe('relay_fingerprint: "<the fingerprint from step 1>"');
    // Pasted with a real fingerprint, the two lines make a valid agent config.
    const agentBehind = `${endpointLine}\n${pinLine!.replace(/<[^>]*>/, 'ab'.repeat(32))}\nkey: ${OTHER_KEY}\n`;
    const parsed = agentConfigFileSchema.safeParse(parseYaml(agentBehind));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(run.output).toContain(`Open TCP port ${defaultPort}`);
    expect(run.output).not.toContain(SECRET);
    // The command for a new agent there takes the token from the environment: on a command line it
    // would be in sudo's log and the process list.
    expect(run.output).toMatch(/^ +read -r VIGIL_ENROLLMENT_TOKEN && export VIGIL_ENROLLMENT_TOKEN$/m);
    expect(run.output).toMatch(/^ +sudo --preserve-env=VIGIL_ENROLLMENT_TOKEN sh install.sh --bundle vigil-agent.mjs /m);
    expect(run.output).not.toContain('--token TOKEN');
  });

  it('keeps a relay: section the administrator wrote, and points the agents at its relay.listen without parsing it', async () => {
    expect((await firstInstall()).status).toBe(0);
    const config = under('etc/vigil/agent.yaml');
    // Flow style: YAML the installer does not try to read; it names the setting instead.
    await writeFile(config, `${await readFile(config, 'utf8')}relay: { listen: "10.0.0.5:9443", rate_limit_per_minute: 120 }   # the LAN side\n`);
    const before = await readFile(config, 'utf8');
    const run = await install(['--relay', '--prefix', root]);
    expect(run.status, run.output).toBe(0);
    expect(await readFile(config, 'utf8')).toBe(before);
    expect(run.output).toContain(`The relay listens at relay.listen in ${config}. Next:`);
    expect(run.output).toMatch(/^ +endpoint: https:\/\/HOST:PORT\/ingest$/m);
    expect(run.output).toContain(`PORT: the port\n     of relay.listen in ${config}`);
    expect(run.output).toContain(`Open the port of relay.listen in ${config} (TCP) in this host's firewall`);
    // Nothing guessed from the section: neither its port nor the default one.
    expect(run.output).not.toMatch(/9443|8443/);
  });

  it('keeps the relay on a re-run without --relay, restarting it on the new bundle', async () => {
    expect((await firstInstall([...RELAY_ARGS])).status).toBe(0);
    const systemctl = await fakeSystemctl();
    const newer = path.join(dir, 'newer.mjs');
    await writeFile(newer, 'console.log("newer");\n');
    const run = await install(['--bundle', newer, '--prefix', root], systemctl.env);
    expect(run.status, run.output).toBe(0);
    expect(await readFile(relayUnit(), 'utf8')).toBe(await installedUnit(RELAY_UNIT_SOURCE, chosenNode(run)));
    expect(await systemctl.calls()).toContain('restart vigil-agent.service vigil-relay.service');
    expect((await readFile(under('etc/vigil/agent.yaml'), 'utf8')).match(/^relay:/gm)).toHaveLength(1);
  });

  it('keeps overrides made with systemctl edit, and replaces only its own node-path drop-in', async () => {
    expect((await firstInstall([...RELAY_ARGS])).status).toBe(0);
    const dropIns = under('etc/systemd/system/vigil-relay.service.d');
    await mkdir(dropIns);
    await writeFile(path.join(dropIns, 'override.conf'), '[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n');
    await writeFile(path.join(dropIns, 'node-path.conf'), '[Service]\nEnvironment=PATH=/stale\n');
    expect((await install(['--prefix', root])).status).toBe(0);
    expect(existsSync(path.join(dropIns, 'override.conf'))).toBe(true);
    // node is on the service PATH here, so the stale drop-in goes.
    expect(existsSync(path.join(dropIns, 'node-path.conf'))).toBe(false);
  });

  it('--uninstall stops and removes both units, their drop-ins and the relay state, and keeps /etc/vigil', async () => {
    expect((await firstInstall([...RELAY_ARGS])).status).toBe(0);
    for (const unit of ['vigil-agent', 'vigil-relay']) {
      await mkdir(under(`etc/systemd/system/${unit}.service.d`));
      await writeFile(under(`etc/systemd/system/${unit}.service.d/override.conf`), '[Service]\n');
    }
    await mkdir(under('var/lib/vigil/relay/spool'), { recursive: true });
    await writeFile(under('var/lib/vigil/relay/relay-key.pem'), 'key');

    const systemctl = await fakeSystemctl();
    const run = await install(['--uninstall', '--prefix', root], systemctl.env);
    expect(run.status, run.output).toBe(0);
    for (const gone of [
      'etc/systemd/system/vigil-agent.service',
      'etc/systemd/system/vigil-relay.service',
      'etc/systemd/system/vigil-agent.service.d',
      'etc/systemd/system/vigil-relay.service.d',
      'usr/local/lib/vigil',
      'usr/local/bin/vigil-agent',
      'var/lib/vigil',
    ]) {
      expect(existsSync(under(gone)), gone).toBe(false);
    }
    expect(existsSync(under('etc/vigil/agent.yaml'))).toBe(true);
    expect(run.output).toMatch(/removed the agent, the relay/);
    const calls = await systemctl.calls();
    expect(calls).toEqual(expect.arrayContaining(['disable --now vigil-relay.service', 'disable --now vigil-agent.service', 'daemon-reload']));
    expect(calls.indexOf('disable --now vigil-relay.service')).toBeLessThan(calls.indexOf('daemon-reload'));
  });

  it('refuses --uninstall --relay and removes nothing', async () => {
    expect((await firstInstall([...RELAY_ARGS])).status).toBe(0);
    const run = await install(['--uninstall', '--relay', '--prefix', root]);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/--uninstall removes the relay too/);
    expect(existsSync(relayUnit())).toBe(true);
    expect(existsSync(under('usr/local/lib/vigil/vigil-agent.mjs'))).toBe(true);
  });
});

describe('the relay unit', () => {
  let unit: string;
  let agentUnit: string;
  beforeAll(async () => {
    unit = await readFile(RELAY_UNIT_SOURCE, 'utf8');
    agentUnit = await readFile(UNIT_SOURCE, 'utf8');
  });
  const directives = () => directivesOf(unit);
  const value = (name: string) =>
    directives()
      .find((line) => line.startsWith(`${name}=`))
      ?.slice(name.length + 1);

  it('runs the relay of the installed bundle with the shared config and restarts it on failure', () => {
    expect(directives()).toEqual(
      expect.arrayContaining([
        'ExecStart=/usr/bin/env node /usr/local/lib/vigil/vigil-agent.mjs relay --config /etc/vigil/agent.yaml',
        'Restart=on-failure',
        'RestartPreventExitStatus=2 3',
        'WantedBy=multi-user.target',
      ]),
    );
  });

  it('may write only its state directory, which is where the relay keeps its state by default', () => {
    expect(`/var/lib/${value('StateDirectory')}`).toBe(RELAY_CONFIG_DEFAULTS.state_dir);
    expect(value('StateDirectoryMode')).toBe('0700');
    expect(value('ProtectSystem')).toBe('strict');
    expect(value('ReadWritePaths')).toBeUndefined();
  });

  it('holds CAP_NET_BIND_SERVICE only if the default port needs it, and no other capability', () => {
    const port = RELAY_SUGGESTED_PORT;
    expect(value('CapabilityBoundingSet')).toBe(port < 1024 ? 'CAP_NET_BIND_SERVICE' : '');
    // Root needs no ambient capabilities: the bounding set is all it can have.
    expect(value('AmbientCapabilities')).toBeUndefined();
  });

  it('has no ExecReload: the relay does not reload its config on SIGHUP', () => {
    expect(value('ExecReload')).toBeUndefined();
  });

  it("is at least as hardened as the agent's unit", () => {
    const stricter: Record<string, string> = { 'ProtectSystem=full': 'ProtectSystem=strict', 'ProtectHome=read-only': 'ProtectHome=yes' };
    const hardening = directivesOf(agentUnit).filter((line) =>
      /^(NoNewPrivileges|Protect\w+|Private\w+|Restrict\w+|LockPersonality|SystemCallArchitectures|UMask)=/.test(line),
    );
    expect(hardening.length).toBeGreaterThan(10);
    for (const line of hardening) expect(directives(), line).toContain(stricter[line] ?? line);
    expect(directives()).toEqual(
      expect.arrayContaining(['PrivateDevices=yes', 'RestrictNamespaces=yes', 'ProtectKernelLogs=yes', 'SystemCallFilter=@system-service']),
    );
    expect(value('MemoryDenyWriteExecute')).toBeUndefined(); // breaks Node's JIT
    expect(value('MemoryMax')).toBeDefined();
  });

  it('passes systemd-analyze verify where systemd-analyze exists', () => {
    const analyze = spawnSync('systemd-analyze', ['verify', RELAY_UNIT_SOURCE], { encoding: 'utf8' });
    if (analyze.error) return; // Not installed: nothing to ask.
    expect(analyze.stderr.trim()).toBe('');
    expect(analyze.status).toBe(0);
  });
});
