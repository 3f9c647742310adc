// Error reporting of the functions: off without SENTRY_DSN (nothing is sent, fetch is never called);
// with it, one envelope per unexpected error and none for refusals (HttpsError).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpsError } from 'firebase-functions/v2/https';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configuredErrorReporter, createFunctionsErrorReporter, reportingErrors } from './sentry.js';

const KEY = `vgl_abcdefghijklmnop_${'S'.repeat(43)}`;
const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(200).end('{}');
  });
});
let dsn: string;

beforeEach(async () => {
  received.length = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dsn = `http://fnkey42@127.0.0.1:${(server.address() as AddressInfo).port}/7`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  vi.unstubAllEnvs();
});

function failing(error: unknown) {
  return async (_request: { data: unknown }) => {
    throw error;
  };
}

describe('functions error reporting', () => {
  it('is off by default: nothing leaves, fetch is never called, the error propagates unchanged', async () => {
    vi.stubEnv('SENTRY_DSN', '');
    expect(configuredErrorReporter().enabled).toBe(false);
    const fetchSpy = vi.fn<typeof fetch>();
    const error = new Error('Firestore said no');
    const handler = reportingErrors('ingestReport', failing(error), () =>
      createFunctionsErrorReporter({ dsn: '', version: '0.1.0', fetch: fetchSpy }),
    );
    await expect(handler({ data: { key: KEY } })).rejects.toBe(error);
    const viaParam = reportingErrors('ingestReport', failing(error));
    await expect(viaParam({ data: {} })).rejects.toBe(error);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(received).toEqual([]);
  });

  it('says once that a malformed DSN leaves reporting off, without repeating the DSN', async () => {
    const { logger } = await import('firebase-functions');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('SENTRY_DSN', 'not-a-dsn-secretish');
    // The configured reporter is made once per DSN, so every later call finds it without a warning.
    expect(configuredErrorReporter().enabled).toBe(false);
    expect(configuredErrorReporter().enabled).toBe(false);
    expect(await configuredErrorReporter().report(new Error('x'), 'ingestReport')).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('not-a-dsn-secretish');
    expect(received).toEqual([]);
    // An empty DSN is the default, not a mistake: no warning.
    vi.stubEnv('SENTRY_DSN', '');
    expect(configuredErrorReporter().enabled).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('sends one envelope per unexpected error to the configured DSN, with no request data', async () => {
    vi.stubEnv('SENTRY_DSN', dsn);
    expect(configuredErrorReporter().enabled).toBe(true);
    const error = new TypeError(`cannot read agent for ${KEY}`);
    const handler = reportingErrors('ingestReport', failing(error));
    await expect(handler({ data: { reportId: 'r-0123456789', host: { hostname: 'secret-host' } } })).rejects.toBe(error);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.url).toBe('/api/7/envelope/');
    expect(request!.headers['x-sentry-auth']).toMatch(/^Sentry sentry_version=7, sentry_key=fnkey42, sentry_client=vigil\/\d+\.\d+\.\d+/);
    const [header, item, payload] = request!.body.split('\n');
    expect(JSON.parse(item!)).toEqual({ type: 'event', length: Buffer.byteLength(payload!), content_type: 'application/json' });
    const event = JSON.parse(payload!) as Record<string, unknown>;
    expect(event).toMatchObject({
      event_id: (JSON.parse(header!) as { event_id: string }).event_id,
      platform: 'node',
      tags: { component: 'functions', function: 'ingestReport' },
      exception: { values: [{ type: 'TypeError', value: 'cannot read agent for vgl_[redacted]' }] },
    });
    expect(request!.body).not.toContain(KEY.slice(4));
    expect(request!.body).not.toContain('secret-host');
    expect(request!.body).not.toContain('r-0123456789');
  });

  it('never reports refusals', async () => {
    vi.stubEnv('SENTRY_DSN', dsn);
    const refusal = new HttpsError('unauthenticated', 'The agent key is missing, unknown or revoked.');
    await expect(reportingErrors('ingestReport', failing(refusal))({ data: {} })).rejects.toBe(refusal);
    expect(received).toEqual([]);
  });

  it('passes results through untouched', async () => {
    vi.stubEnv('SENTRY_DSN', dsn);
    const handler = reportingErrors('bootstrapWorkspace', async (request: { data: number }) => request.data * 2);
    expect(await handler({ data: 21 })).toBe(42);
    expect(received).toEqual([]);
  });
});
