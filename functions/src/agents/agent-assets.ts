// The SHA-256s of agent/install.sh and agent/dist/vigil-agent.mjs, the two files the dashboard's
// Hosting serves (web/scripts/copy-agent-assets.mjs copies them). functions/build.mjs computes them
// from those same files at build time and puts them here (esbuild `define`): the one home of the
// hashes the install command carries.
import type { AgentAssetHashes } from './install-command.js';

declare const __VIGIL_AGENT_ASSETS__: AgentAssetHashes | undefined;

export function agentAssetHashes(): AgentAssetHashes {
  if (typeof __VIGIL_AGENT_ASSETS__ === 'undefined') {
    throw new Error('the agent asset SHA-256s are missing: build the functions with functions/build.mjs (npm run build -w functions)');
  }
  return __VIGIL_AGENT_ASSETS__;
}
