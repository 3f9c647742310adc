// A local HTTP server standing in for Sentry in tests: it records every request it receives.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeSentry {
  requests: ReceivedRequest[];
  /** A DSN pointing at this server, project 42. */
  dsn: string;
  close(): Promise<void>;
}

export async function startFakeSentry(): Promise<FakeSentry> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    dsn: `http://publickey0123@127.0.0.1:${port}/42`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Splits an envelope into its three JSON lines and checks the framing. */
export function parseEnvelope(body: string): { header: Record<string, unknown>; item: Record<string, unknown>; event: Record<string, unknown> } {
  const [header, item, payload, rest] = body.split('\n');
  if (rest !== '' || !header || !item || !payload) throw new Error('not a one-item envelope');
  const parsedItem = JSON.parse(item) as Record<string, unknown>;
  if (parsedItem.type !== 'event' || parsedItem.length !== Buffer.byteLength(payload)) throw new Error('bad item header');
  return { header: JSON.parse(header) as Record<string, unknown>, item: parsedItem, event: JSON.parse(payload) as Record<string, unknown> };
}
