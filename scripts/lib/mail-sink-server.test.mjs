import http from 'node:http';
import sendgridClient from '@sendgrid/client';
import sendgridMail from '@sendgrid/mail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailSink, SENDGRID_MAX_BODY_BYTES } from './mail-sink-server.mjs';

let sink;
const seen = [];

beforeAll(async () => {
  sink = await startMailSink({ port: 0, onMessage: (message) => seen.push(message) });
});
afterAll(() => sink.close());
beforeEach(async () => {
  await fetch(`${sink.url}/messages`, { method: 'DELETE' });
  seen.length = 0;
});

/** The real SendGrid client, as the functions use it, pointed at the sink. */
function mailer({ apiKey = 'SG.test' } = {}) {
  const client = new sendgridClient.Client();
  if (apiKey !== null) client.setApiKey(apiKey);
  // After setApiKey, which resets the base URL to SendGrid's.
  client.setDefaultRequest('baseUrl', sink.url);
  const mail = new sendgridMail.MailService();
  mail.setClient(client);
  return mail;
}

async function listMessages() {
  const response = await fetch(`${sink.url}/messages`);
  expect(response.status).toBe(200);
  return response.json();
}

function post(body, { authorization = 'Bearer SG.test', raw = false } = {}) {
  return fetch(`${sink.url}/v3/mail/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: raw ? body : JSON.stringify(body),
  });
}

const valid = () => ({
  personalizations: [{ to: [{ email: 'ops@example.com' }] }],
  from: { email: 'alerts@vigil.test', name: 'Vigil' },
  subject: '[Vigil] web-1: 1 test failing (ClamAV)',
  content: [
    { type: 'text/plain', value: 'plain' },
    { type: 'text/html', value: '<p>html</p>' },
  ],
});

async function expectBadRequest(body, field, message) {
  const response = await post(body);
  expect(response.status).toBe(400);
  const answer = await response.json();
  expect(answer.errors).toEqual(expect.arrayContaining([{ message: expect.stringMatching(message), field, help: null }]));
  return answer;
}

describe('POST /v3/mail/send', () => {
  it('accepts what @sendgrid/mail sends, answers 202 with an empty body and lists it', async () => {
    const [response, body] = await mailer().send({
      to: ['ops@example.com', { email: 'lead@example.com', name: 'Lead' }],
      from: { email: 'alerts@vigil.test', name: 'Vigil' },
      subject: '[Vigil] web-1: 2 tests failing (ClamAV, Fail2ban)',
      text: 'two tests fail',
      html: '<p>two tests fail</p>',
    });
    expect(response.statusCode).toBe(202);
    expect(body).toBe('');

    const messages = await listMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      personalizations: [{ to: [{ email: 'ops@example.com' }, { email: 'lead@example.com', name: 'Lead' }] }],
      from: { email: 'alerts@vigil.test', name: 'Vigil' },
      subject: '[Vigil] web-1: 2 tests failing (ClamAV, Fail2ban)',
      content: [
        { type: 'text/plain', value: 'two tests fail' },
        { type: 'text/html', value: '<p>two tests fail</p>' },
      ],
    });
    expect(Date.parse(messages[0].receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(sink.messages()).toEqual(messages);
    expect(seen).toEqual(messages);
  });

  it('accepts a dynamic template send without subject or content', async () => {
    const [response] = await mailer().send({
      to: 'ops@example.com',
      from: 'alerts@vigil.test',
      templateId: 'd-0123456789abcdef',
      dynamicTemplateData: { subject: 'web-1 is offline', agent: { name: 'web-1' } },
    });
    expect(response.statusCode).toBe(202);
    const [message] = await listMessages();
    expect(message.template_id).toBe('d-0123456789abcdef');
    expect(message.personalizations[0].dynamic_template_data).toEqual({ subject: 'web-1 is offline', agent: { name: 'web-1' } });
    expect(message.subject).toBeUndefined();
    expect(message.content).toBeUndefined();
  });

  it('keeps messages oldest first', async () => {
    for (const subject of ['first', 'second', 'third']) {
      expect((await post({ ...valid(), subject })).status).toBe(202);
    }
    expect((await listMessages()).map((message) => message.subject)).toEqual(['first', 'second', 'third']);
  });

  it('answers 400 with the field for each malformed request', async () => {
    const { personalizations: _p, ...noPersonalizations } = valid();
    await expectBadRequest(noPersonalizations, 'personalizations', /at least one personalization/);
    await expectBadRequest({ ...valid(), personalizations: [] }, 'personalizations', /at least one personalization/);
    const many = Array.from({ length: 1001 }, (_, index) => ({ to: [{ email: `r${index}@example.com` }] }));
    await expectBadRequest({ ...valid(), personalizations: many }, 'personalizations', /limited to 1000 personalizations/);
    await expectBadRequest({ ...valid(), personalizations: [{}] }, 'personalizations.0.to', /to array is required/);
    await expectBadRequest({ ...valid(), personalizations: [{ to: [] }] }, 'personalizations.0.to', /to array is required/);
    await expectBadRequest(
      { ...valid(), personalizations: [{ to: [{ email: 'ops@example.com' }] }, { to: [{ name: 'no address' }] }] },
      'personalizations.1.to.0.email',
      /valid address/,
    );
    await expectBadRequest(
      { ...valid(), personalizations: [{ to: [{ email: 'not-an-address' }] }] },
      'personalizations.0.to.0.email',
      /valid address/,
    );
    await expectBadRequest(
      { ...valid(), personalizations: [{ to: [{ email: 'ops@example.com' }], bcc: [{ email: 'x' }] }] },
      'personalizations.0.bcc.0.email',
      /valid address/,
    );

    const { from: _f, ...noFrom } = valid();
    await expectBadRequest(noFrom, 'from.email', /from object must be provided/);
    await expectBadRequest({ ...valid(), from: { name: 'Vigil' } }, 'from.email', /from object must be provided/);
    await expectBadRequest({ ...valid(), from: { email: 'nobody' } }, 'from.email', /from email does not contain a valid address/);

    const { subject: _s, ...noSubject } = valid();
    await expectBadRequest(noSubject, 'subject', /subject is required/);
    await expectBadRequest({ ...valid(), subject: '' }, 'subject', /subject is required/);

    const { content: _c, ...noContent } = valid();
    await expectBadRequest(noContent, 'content', /content parameter is required/);
    await expectBadRequest({ ...valid(), content: [] }, 'content', /content parameter is required/);
    await expectBadRequest({ ...valid(), content: [{ type: 'text/plain', value: '' }] }, 'content.0.value', /at least one character/);
    await expectBadRequest({ ...valid(), content: [{ value: 'x' }] }, 'content.0.type', /at least one character/);
    await expectBadRequest(
      {
        ...valid(),
        content: [
          { type: 'text/html', value: '<p>x</p>' },
          { type: 'text/plain', value: 'x' },
        ],
      },
      'content',
      /text\/plain content must be first/,
    );

    await expectBadRequest(
      { ...valid(), personalizations: [{ to: [{ email: 'ops@example.com' }], dynamic_template_data: { a: 1 } }] },
      'personalizations.0.dynamic_template_data',
      /only be used together with a template_id/,
    );
    await expectBadRequest(
      {
        ...noContent,
        template_id: 'd-0123',
        personalizations: [{ to: [{ email: 'ops@example.com' }], substitutions: { '-name-': 'x' } }],
      },
      'personalizations.0.substitutions',
      /Substitutions may not be used with dynamic templating/,
    );

    expect(await listMessages()).toEqual([]);
  });

  it('lists every problem of a request at once', async () => {
    const answer = await expectBadRequest({ personalizations: [] }, 'personalizations', /personalization/);
    expect(answer.errors.map((problem) => problem.field)).toEqual(['personalizations', 'from.email', 'subject', 'content']);
  });

  it('accepts a subject given in every personalization instead of at the top', async () => {
    const { subject: _s, ...noSubject } = valid();
    const response = await post({ ...noSubject, personalizations: [{ to: [{ email: 'ops@example.com' }], subject: 'per person' }] });
    expect(response.status).toBe(202);
  });

  it('answers 400 "Bad Request" to a body that is not a JSON object', async () => {
    for (const body of ['{"personalizations": [', 'not json', '[]', '"text"', '']) {
      const response = await post(body, { raw: true });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: 'Bad Request', field: null, help: null }] });
    }
  });

  it('answers 401 without a bearer token, to the real client too', async () => {
    for (const authorization of [null, 'Bearer ', 'Basic dXNlcjpwYXNz', 'SG.test']) {
      const response = await post(valid(), { authorization });
      expect(response.status).toBe(401);
      const answer = await response.json();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors[0]).toMatchObject({ field: null, help: null });
    }
    const error = await mailer({ apiKey: null })
      .send({ to: 'ops@example.com', from: 'alerts@vigil.test', subject: 's', text: 't' })
      .catch((caught) => caught);
    expect(error.code).toBe(401);
    expect(error.response.body.errors[0].message).toBe('authorization required');
    expect(await listMessages()).toEqual([]);
  });

  it('answers 413 to a body over 30 MB announced by its Content-Length, without reading it', async () => {
    const { status, body } = await new Promise((resolve, reject) => {
      const request = http.request(`${sink.url}/v3/mail/send`, {
        method: 'POST',
        headers: { authorization: 'Bearer SG.test', 'content-type': 'application/json', 'content-length': SENDGRID_MAX_BODY_BYTES + 1 },
      });
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(text) }));
      });
      request.on('error', reject);
      request.write('{"personalizations":');
    });
    expect(status).toBe(413);
    expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(/too large/), field: null, help: null });
  });

  it('answers 413 to a streamed body over the limit', async () => {
    const small = await startMailSink({ port: 0, maxBodyBytes: 1024 });
    try {
      const oversized = JSON.stringify({ ...valid(), content: [{ type: 'text/plain', value: 'x'.repeat(2000) }] });
      const response = await fetch(`${small.url}/v3/mail/send`, {
        method: 'POST',
        headers: { authorization: 'Bearer SG.test', 'content-type': 'application/json' },
        // A stream, so no Content-Length: the sink has to count.
        body: new Blob([oversized]).stream(),
        duplex: 'half',
      });
      expect(response.status).toBe(413);
      expect(small.messages()).toEqual([]);
      const fits = await fetch(`${small.url}/v3/mail/send`, {
        method: 'POST',
        headers: { authorization: 'Bearer SG.test' },
        body: JSON.stringify(valid()),
      });
      expect(fits.status).toBe(202);
    } finally {
      await small.close();
    }
  });
});

describe('GET and DELETE /messages, anything else', () => {
  it('clears with DELETE /messages and 204', async () => {
    expect((await post(valid())).status).toBe(202);
    expect(await listMessages()).toHaveLength(1);
    const response = await fetch(`${sink.url}/messages`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await listMessages()).toEqual([]);
    expect(sink.messages()).toEqual([]);
  });

  it('answers 404 JSON to anything else', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/v3/mail/send'],
      ['POST', '/messages'],
      ['POST', '/v3/mail/batch'],
    ]) {
      const response = await fetch(`${sink.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect((await response.json()).errors[0].field).toBeNull();
    }
  });

  it('hands out copies, so a caller cannot change what was received', async () => {
    await post(valid());
    sink.messages()[0].subject = 'changed';
    expect(sink.messages()[0].subject).toBe(valid().subject);
  });
});

describe('startMailSink', () => {
  it('rejects when the port is taken', async () => {
    const port = Number(new URL(sink.url).port);
    await expect(startMailSink({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('fault switch', () => {
  const fault = (body) => fetch(`${sink.url}/fault`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  beforeEach(async () => {
    await fetch(`${sink.url}/fault`, { method: 'DELETE' });
  });

  it('answers the next N sends with the chosen status, in SendGrid error shape, keeping nothing, then recovers', async () => {
    expect((await fault({ status: 500, count: 2 })).status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await post(valid());
      expect(response.status).toBe(500);
      expect((await response.json()).errors).toEqual([{ message: expect.stringMatching(/fault/i), field: null, help: null }]);
    }
    expect((await post(valid())).status).toBe(202);
    expect(await listMessages()).toHaveLength(1);
  });

  it('gives a 429 the Retry-After header the real client sees', async () => {
    await fault({ status: 429, retryAfterSeconds: 7 });
    const error = await mailer()
      .send({ to: 'ops@example.com', from: 'alerts@vigil.test', subject: 's', text: 't' })
      .then(
        () => undefined,
        (caught) => caught,
      );
    expect(error?.code).toBe(429);
    expect(error?.response?.headers?.['retry-after']).toBe('7');
    // Without a count it lasts until cleared.
    expect((await post(valid())).status).toBe(429);
    await fetch(`${sink.url}/fault`, { method: 'DELETE' });
    expect((await post(valid())).status).toBe(202);
  });

  it('can fail only the sends to one address', async () => {
    await fault({ status: 503, to: 'Victim@Example.com' });
    expect((await post(valid())).status).toBe(202);
    const toVictim = { ...valid(), personalizations: [{ to: [{ email: 'victim@example.com' }] }] };
    expect((await post(toVictim)).status).toBe(503);
    const faults = await (await fetch(`${sink.url}/fault`)).json();
    expect(faults).toEqual([{ status: 503, count: null, retryAfterSeconds: null, to: 'victim@example.com' }]);
  });

  it('refuses a fault it cannot apply', async () => {
    for (const body of [
      { status: 200 },
      { status: 'x' },
      { status: 500, count: 0 },
      { status: 500, to: 5 },
      { status: 429, retryAfterSeconds: -1 },
    ]) {
      const response = await fault(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await (await fetch(`${sink.url}/fault`)).json()).toEqual([]);
  });
});
