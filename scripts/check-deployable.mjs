#!/usr/bin/env node
// Proves that `firebase deploy` would work from a clean checkout: deploy uploads functions/ alone
// and installs its production dependencies from the registry, where @vigil/schema does not exist.
// So: copy what deploy uploads to a folder outside the repository, `npm install --omit=dev` there,
// and load the function definitions the way firebase-tools does (firebase-functions' own binary
// writing the manifest), then check every function we export is in it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './lib/emulator-env.mjs';

const EXPECTED_ENDPOINTS = JSON.parse(process.env.VIGIL_EXPECTED_ENDPOINTS ?? 'null');

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

function exportedNames(bundlePath) {
  // The names `index.ts` exports are what deploy must find; read them from the built bundle's export list.
  const source = readFileSync(bundlePath, 'utf8');
  const match = /export\s*\{([^}]*)\};?\s*(\/\/# sourceMappingURL=.*)?\s*$/.exec(source);
  if (!match) throw new Error('functions/lib/index.js has no export list');
  // Exported only when isEmulator() (index.ts): the benchmark floor and the local schedule runner.
  const emulatorOnly = new Set(['benchFloorWrite', 'listSchedules', 'runSchedule']);
  return match[1]
    .split(',')
    .map((part) =>
      part
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    )
    .filter((name) => name && !emulatorOnly.has(name))
    .sort();
}

export function checkDeployable({ keep = false } = {}) {
  const functionsDir = path.join(REPO_ROOT, 'functions');
  const deployDir = mkdtempSync(path.join(tmpdir(), 'vigil-deploy-'));
  try {
    cpSync(path.join(functionsDir, 'package.json'), path.join(deployDir, 'package.json'));
    cpSync(path.join(functionsDir, 'lib'), path.join(deployDir, 'lib'), { recursive: true });

    const bundle = readFileSync(path.join(deployDir, 'lib', 'index.js'), 'utf8');
    if (/from\s*["']@vigil\//.test(bundle)) throw new Error('lib/index.js still imports a @vigil/ workspace package');

    run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: deployDir });

    const manifestPath = path.join(deployDir, 'functions-manifest.json');
    run(path.join(deployDir, 'node_modules', '.bin', 'firebase-functions'), [], {
      cwd: deployDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GCLOUD_PROJECT: 'demo-vigil',
        FUNCTIONS_MANIFEST_OUTPUT_PATH: manifestPath,
      },
    });
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const found = Object.keys(manifest.endpoints ?? {}).sort();
    const expected = EXPECTED_ENDPOINTS ?? exportedNames(path.join(functionsDir, 'lib', 'index.js'));
    const missing = expected.filter((name) => !found.includes(name));
    if (missing.length > 0 || found.length === 0) {
      throw new Error(`deploy would not find: ${missing.join(', ') || '(no endpoints at all)'}; found ${found.join(', ')}`);
    }
    return { deployDir, endpoints: found, manifest };
  } finally {
    if (!keep) rmSync(deployDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  try {
    const { endpoints } = checkDeployable();
    console.log(
      `deployable: ${endpoints.length} functions load from a clean install (${endpoints.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    console.error(`NOT deployable: ${error.message}`);
    process.exit(1);
  }
}
