import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { PHASE_PRODUCTION_BUILD } from 'next/constants';
import { readPublicEnv } from './src/lib/config/env';

// The monorepo root: npm hoists every dependency there, and Turbopack resolves
// nothing outside its root. Set explicitly because the root lockfile may be absent.
const monorepoRoot = fileURLToPath(new URL('..', import.meta.url));

// The agent version this dashboard serves (/vigil-agent.mjs, copied from agent/dist by
// scripts/copy-agent-assets.mjs): agent/package.json's, the one home of the version, which
// agent/build.mjs bakes into the bundle and functions/build.mjs into ingest's offer. Inlined at
// build time (lib/config/served-agent-version.ts reads it), never fetched per agent.
const agentPackage: unknown = JSON.parse(readFileSync(new URL('../agent/package.json', import.meta.url), 'utf8'));
const servedAgentVersion = (agentPackage as { version?: unknown }).version;
if (typeof servedAgentVersion !== 'string' || servedAgentVersion === '') throw new Error('agent/package.json has no version');

const nextConfig: NextConfig = {
  // A static site served by Firebase Hosting: all data comes from the client SDK.
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  env: { VIGIL_SERVED_AGENT_VERSION: servedAgentVersion },
  poweredByHeader: false,
  turbopack: {
    root: monorepoRoot,
    rules: {
      // schema/src imports `./x.js` for x.ts (TypeScript ESM); see scripts/schema-imports-loader.cjs.
      '*.ts': {
        condition: { path: /(^|[\\/])schema[\\/]src[\\/]/ },
        loaders: [fileURLToPath(new URL('./scripts/schema-imports-loader.cjs', import.meta.url))],
        as: '*.ts',
      },
    },
  },
  experimental: { optimizePackageImports: ['@chakra-ui/react'] },
};

export default function config(phase: string): NextConfig {
  // A build is what gets deployed: refuse a missing variable, or emulator settings on a real
  // project, here (the build fails with the reason) rather than in every visitor's browser.
  if (phase === PHASE_PRODUCTION_BUILD) readPublicEnv();
  return nextConfig;
}
