// The real @sendgrid/mail client against the real mail sink (its fault switch plays SendGrid's
// failures), so what we classify is what the client really throws.
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, sendFailure } from './mailer.js';

interface Sink {
  url: string;
  close(): Promise<void>;
}
let sink: Sink;
beforeAll(async () => {
  const url = new URL('../../../scripts/lib/mail-sink-server.mjs', import.meta.url).href;
  const { startMailSink } = (await import(url)) as { startMailSink(options: { port: number }): Promise<Sink> };
  sink = await startMailSink({ port: 0 });
});
afterAll(() => sink.close());
beforeEach(async () => {
  await fetch(`${sink.url}/fault`, { method: 'DELETE' });
});

const email = { to: ['ops@example.com'], subject: 's', text: 't', html: '<p>h</p>' };

async function failureOf(fault: Record<string, unknown> | null, baseUrl = sink.url, timeoutMs?: number) {
  if (fault) await fetch(`${sink.url}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  const mailer = createMailer({ apiKey: 'SG.test', baseUrl, from: 'Vigil <alerts@vigil.test>', timeoutMs });
  try {
    await mailer.send(email);
    return undefined;
  } catch (error) {
    return sendFailure(error);
  }
}

describe('sendFailure', () => {
  it('sends when SendGrid accepts', async () => {
    expect(await failureOf(null)).toBeUndefined();
  });

  it.each([500, 502, 503, 408])('retries a %i', async (status) => {
    expect(await failureOf({ status, count: 1 })).toMatchObject({
      retryable: true,
      retryAfterMs: null,
      message: expect.stringContaining(`SendGrid answered ${status}`),
    });
  });

  it('retries a 429 no sooner than its Retry-After', async () => {
    expect(await failureOf({ status: 429, count: 1, retryAfterSeconds: 90 })).toMatchObject({ retryable: true, retryAfterMs: 90_000 });
  });

  it.each([400, 401, 403, 413])('does not retry a %i: SendGrid refused the request itself', async (status) => {
    expect(await failureOf({ status, count: 1 })).toMatchObject({ retryable: false });
  });

  it('retries when SendGrid cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    expect(await failureOf(null, `http://127.0.0.1:${port}`)).toMatchObject({
      retryable: true,
      message: expect.stringContaining('could not reach SendGrid'),
    });
  });

  it('gives up on a send that hangs, within the timeout', async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as { port: number };
    const started = Date.now();
    const failure = await failureOf(null, `http://127.0.0.1:${port}`, 300);
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    expect(failure).toMatchObject({ retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
