// The agent's version: agent/package.json's, put in by esbuild's `define` at build time
// (agent/build.mjs), read from package.json when running from source (tests).
import { readFileSync } from 'node:fs';

declare const __VIGIL_AGENT_VERSION__: string | undefined;

function fromPackageJson(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return `${pkg.version ?? '0.0.0'}-dev`;
  } catch {
    return '0.0.0-dev';
  }
}

export const AGENT_VERSION: string = typeof __VIGIL_AGENT_VERSION__ === 'string' ? __VIGIL_AGENT_VERSION__ : fromPackageJson();
