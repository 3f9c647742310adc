// The agent version this dashboard serves (agent/package.json's, inlined by next.config.ts's `env`
// at build time): an agent reporting another version is out of date (lib/domain/agent-update.ts).
// Null only outside a Next.js build (unit tests pass the version to the pure functions instead).
export const SERVED_AGENT_VERSION: string | null = process.env.VIGIL_SERVED_AGENT_VERSION ?? null;
