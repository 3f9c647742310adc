// Bundles src/index.ts into lib/index.js for the emulator and for `firebase deploy`.
// The @vigil/schema workspace is inlined (deploy installs functions/ alone from the registry,
// where it does not exist); every package in "dependencies" stays external and is installed there.
//
// The install command (src/agents/install-command.ts) carries the SHA-256s of agent/dist/install.sh and
// of the agent bundle, computed here from the very files the dashboard serves (src/agents/agent-assets.ts).
// Ingest's update offer names that bundle's version, read here from agent/package.json (the one home
// of the version, which agent/build.mjs bakes into the bundle) beside its SHA-256.
// Both are built first when one is missing; `npm start` builds them before the functions.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);

const installScript = new URL('../agent/dist/install.sh', import.meta.url);
const bundle = new URL('../agent/dist/vigil-agent.mjs', import.meta.url);
if (!existsSync(bundle) || !existsSync(installScript)) {
  console.log('functions build: agent/dist/ lacks the bundle or install.sh; building them (their SHA-256s go into the install command)');
  execFileSync(process.execPath, [new URL('../agent/build.mjs', import.meta.url).pathname], { stdio: 'inherit' });
}
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const agentAssets = { installScriptSha256: sha256(installScript), bundleSha256: sha256(bundle) };
const agentVersion = JSON.parse(readFileSync(new URL('../agent/package.json', import.meta.url), 'utf8')).version;
if (typeof agentVersion !== 'string' || agentVersion === '') throw new Error('functions build: agent/package.json has no version');

await build({
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  outfile: new URL('./lib/index.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
  legalComments: 'none',
  define: { __VIGIL_AGENT_ASSETS__: JSON.stringify(agentAssets), __VIGIL_AGENT_VERSION__: JSON.stringify(agentVersion) },
});
