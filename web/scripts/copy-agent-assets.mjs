#!/usr/bin/env node
// Puts the agent's installer and bundle where the dashboard is served from (web/public/, copied into
// web/out by `next build`), so Hosting serves /install.sh and /vigil-agent.mjs next to the pages the
// install command comes from. Runs before `next build` and `next dev`. Both files are git-ignored:
// they are build outputs of agent/, copied fresh every time.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const agentDir = new URL('../../agent/', import.meta.url);
const publicDir = new URL('../public/', import.meta.url);

const ASSETS = [
  // The built installer (agent/install.sh with the units of agent/systemd/ put in), never its source.
  {
    from: new URL('dist/install.sh', agentDir),
    name: 'install.sh',
    missing: 'the installer agent/dist/install.sh has not been built: run `npm run build -w agent`',
  },
  {
    from: new URL('dist/vigil-agent.mjs', agentDir),
    name: 'vigil-agent.mjs',
    missing: 'the agent bundle agent/dist/vigil-agent.mjs has not been built: run `npm run build -w agent`',
  },
];

mkdirSync(publicDir, { recursive: true });
for (const asset of ASSETS) {
  const target = new URL(asset.name, publicDir);
  if (existsSync(asset.from)) {
    copyFileSync(asset.from, target);
    console.log(`copy-agent-assets: /${asset.name} <- ${fileURLToPath(asset.from)}`);
  } else {
    // A stale copy would serve an old agent: remove it, and say that hosts cannot install from here.
    rmSync(target, { force: true });
    console.warn(`copy-agent-assets: WARNING: ${asset.missing}; the dashboard will not serve /${asset.name}.`);
  }
}
