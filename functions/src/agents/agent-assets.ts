// The SHA-256s of agent/install.sh and agent/dist/vigil-agent.mjs, the two files the dashboard's
// Hosting serves (web/scripts/copy-agent-assets.mjs copies them), and the version of that bundle
// (agent/package.json's, which agent/build.mjs bakes into the bundle itself). functions/build.mjs
// computes them from those same files at build time and puts them here (esbuild `define`): the one
// home of the hashes the install command carries and of the version ingest's update offer names.
import { agentVersionSchema } from '@vigil/schema';
import type { AgentAssetHashes } from './install-command.js';

declare const __VIGIL_AGENT_ASSETS__: AgentAssetHashes | undefined;
declare const __VIGIL_AGENT_VERSION__: string | undefined;

/** Where Hosting serves the agent bundle, under DASHBOARD_URL (web/scripts/copy-agent-assets.mjs). */
export const AGENT_BUNDLE_PATH = '/vigil-agent.mjs';

const MISSING = 'build the functions with functions/build.mjs (npm run build -w functions)';

export function agentAssetHashes(): AgentAssetHashes {
  if (typeof __VIGIL_AGENT_ASSETS__ === 'undefined') {
    throw new Error(`the agent asset SHA-256s are missing: ${MISSING}`);
  }
  return __VIGIL_AGENT_ASSETS__;
}

/** The agent bundle the dashboard serves: its version and SHA-256. */
export interface ServedAgentBundle {
  version: string;
  sha256: string;
}

export function servedAgentBundle(): ServedAgentBundle {
  if (typeof __VIGIL_AGENT_VERSION__ === 'undefined') throw new Error(`the agent version is missing: ${MISSING}`);
  // A version the agents' schema would refuse in a reply is a build fault, said loudly.
  const version = agentVersionSchema.parse(__VIGIL_AGENT_VERSION__);
  return { version, sha256: agentAssetHashes().bundleSha256 };
}
