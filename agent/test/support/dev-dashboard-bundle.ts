// The agent bundle where the emulated functions say the dashboard serves it. Under the emulators,
// DASHBOARD_URL is functions/.env.local's, the address of `npm start`'s dashboard (next dev), which
// serves web/public/vigil-agent.mjs: agent/dist/vigil-agent.mjs, copied by
// web/scripts/copy-agent-assets.mjs. The int tier runs no dashboard, so this serves that same file
// at that same address (loopback only, as next dev does), and nothing else: the update offer the
// agent follows is still the real ingest's, and the agent still checks the bundle's SHA-256
// against it. Every request is recorded.
import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SERVED_BUNDLE = path.join(REPO, 'agent', 'dist', 'vigil-agent.mjs');
/** functions/build.mjs's AGENT_BUNDLE_PATH (functions/src/agents/agent-assets.ts). */
const BUNDLE_PATH = '/vigil-agent.mjs';

/** What the emulated functions read as DASHBOARD_URL. */
export function emulatorDashboardUrl(): string {
  const env = readFileSync(path.join(REPO, 'functions', '.env.local'), 'utf8');
  const value = /^DASHBOARD_URL=(.*)$/m.exec(env)?.[1]?.trim();
  if (!value) throw new Error('functions/.env.local sets no DASHBOARD_URL');
  return value.replace(/\/+$/, '');
}

export interface DevDashboardBundle {
  url: string;
  /** `METHOD path` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Serves the built bundle at DASHBOARD_URL/vigil-agent.mjs, on every address its host name has here. */
export async function serveBundleAtDashboardUrl(dashboardUrl = emulatorDashboardUrl()): Promise<DevDashboardBundle> {
  const url = new URL(dashboardUrl);
  if (url.protocol !== 'http:') throw new Error(`DASHBOARD_URL ${dashboardUrl} is not a local http dashboard this test can stand in for`);
  const port = Number(url.port || 80);
  const bundle = readFileSync(SERVED_BUNDLE);
  const requests: string[] = [];
  const servers: Server[] = [];
  const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ''), { all: true });
  for (const { address } of addresses) {
    const server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      if (request.method === 'GET' && request.url === BUNDLE_PATH) {
        response.writeHead(200, { 'content-type': 'text/javascript', 'content-length': bundle.length });
        response.end(bundle);
      } else {
        response.writeHead(404).end();
      }
    });
    try {
      await listen(server, address, port);
    } catch (error) {
      await Promise.all(servers.map((each) => new Promise((resolve) => each.close(resolve))));
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      throw new Error(
        inUse
          ? `${address}:${port} (DASHBOARD_URL, where the update offer points) is in use: is \`npm start\`'s dashboard running?`
          : `cannot listen on ${address}:${port}: ${(error as Error).message}`,
      );
    }
    servers.push(server);
  }
  return {
    url: `${dashboardUrl}${BUNDLE_PATH}`,
    requests,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
