import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';
import {
  ERROR_MESSAGE_MAX_CHARS,
  ERROR_STACK_MAX_CHARS,
  browserEnvelopeUrl,
  describeThrown,
  parseSentryDsn,
  scrubErrorText,
  sentryAuthHeader,
  sentryEnvelope,
  stackFrames,
  type ErrorReportInput,
} from './error-report.js';

const KEY = `vgl_abcdefghijklmnop_${'S'.repeat(43)}`;

describe('parseSentryDsn', () => {
  it('finds the envelope URL and the public key', () => {
    expect(parseSentryDsn('https://abc123@o42.ingest.sentry.io/4501')).toEqual({
      envelopeUrl: 'https://o42.ingest.sentry.io/api/4501/envelope/',
      publicKey: 'abc123',
      projectId: '4501',
    });
    expect(parseSentryDsn('http://key@127.0.0.1:9000/prefix/7')?.envelopeUrl).toBe('http://127.0.0.1:9000/prefix/api/7/envelope/');
  });

  it('ignores a legacy secret, which is never sent', () => {
    const target = parseSentryDsn('https://public:secret@sentry.example.com/1')!;
    expect(target.publicKey).toBe('public');
    expect(JSON.stringify(target)).not.toContain('secret');
  });

  it('means "off" for empty or malformed DSNs', () => {
    for (const dsn of [undefined, '', '  ', 'nonsense', 'https://sentry.example.com/1', 'ftp://k@h/1', 'https://k@h/', 'https://k@h/x']) {
      expect(parseSentryDsn(dsn), String(dsn)).toBeUndefined();
    }
  });

  it('builds the auth header and the browser URL', () => {
    const target = parseSentryDsn('https://abc123@sentry.example.com/9')!;
    expect(sentryAuthHeader(target, '0.1.0')).toBe('Sentry sentry_version=7, sentry_key=abc123, sentry_client=vigil/0.1.0');
    expect(browserEnvelopeUrl(target, '0.1.0')).toBe(
      'https://sentry.example.com/api/9/envelope/?sentry_version=7&sentry_key=abc123&sentry_client=vigil%2F0.1.0',
    );
  });
});

describe('scrubErrorText', () => {
  it('removes agent keys, URL credentials, bearer tokens and email addresses', () => {
    const text = `key ${KEY} at https://user:pw@example.com/x, Bearer abcdefghijklmnop, by ann@example.com`;
    expect(scrubErrorText(text)).toBe('key vgl_[redacted] at https://[redacted]@example.com/x, Bearer [redacted], by [email]');
  });
});

describe('stackFrames', () => {
  it('reads V8 frames, oldest first', () => {
    const stack = [
      'TypeError: boom',
      '    at inner (file:///usr/local/lib/vigil/vigil-agent.mjs:10:5)',
      '    at file:///usr/local/lib/vigil/vigil-agent.mjs:20:7',
      '    at async Promise.all (index 0)',
    ].join('\n');
    expect(stackFrames(stack)).toEqual([
      { function: 'async Promise.all', filename: 'index 0' },
      { filename: 'file:///usr/local/lib/vigil/vigil-agent.mjs', lineno: 20, colno: 7 },
      { function: 'inner', filename: 'file:///usr/local/lib/vigil/vigil-agent.mjs', lineno: 10, colno: 5 },
    ]);
  });
});

describe('sentryEnvelope', () => {
  const input: ErrorReportInput = {
    component: 'agent',
    version: '0.1.0',
    ...describeThrown(new TypeError(`cannot use ${KEY}`)),
    handled: false,
    tags: { command: 'run' },
    eventId: '0123456789abcdef0123456789abcdef',
    now: new Date('2026-11-27T10:00:00.000Z'),
  };

  it('is an envelope header, an item header with the payload length, and the event', () => {
    const text = sentryEnvelope(input);
    expect(text.endsWith('\n')).toBe(true);
    const [header, itemHeader, payload, rest] = text.split('\n');
    expect(rest).toBe('');
    expect(JSON.parse(header!)).toEqual({
      event_id: input.eventId,
      sent_at: '2026-11-27T10:00:00.000Z',
      sdk: { name: 'vigil', version: '0.1.0' },
    });
    expect(JSON.parse(itemHeader!)).toEqual({ type: 'event', length: Buffer.byteLength(payload!), content_type: 'application/json' });
    const event = JSON.parse(payload!) as Record<string, unknown>;
    expect(event).toMatchObject({
      event_id: input.eventId,
      timestamp: Date.parse('2026-11-27T10:00:00.000Z') / 1000,
      platform: 'node',
      level: 'fatal',
      release: 'vigil-agent@0.1.0',
      tags: { component: 'agent', command: 'run' },
      exception: { values: [{ type: 'TypeError', value: 'cannot use vgl_[redacted]', mechanism: { type: 'generic', handled: false } }] },
    });
    expect(text).not.toContain(KEY.slice(4));
    // Nothing about the host or a user: Sentry's SDKs add these by default, we never do.
    for (const field of ['server_name', 'user', 'request', 'contexts', 'breadcrumbs']) expect(event).not.toHaveProperty(field);
  });

  it('describes things thrown that are not errors', () => {
    expect(describeThrown('plain')).toEqual({ type: 'NonError', message: 'plain' });
    expect(describeThrown({ code: 1 })).toEqual({ type: 'NonError', message: '{"code":1}' });
  });
});

describe('error report caps', () => {
  it('are the report limits, so a crash fits the report that carries it', () => {
    expect(ERROR_MESSAGE_MAX_CHARS).toBe(LIMITS.messageText);
    expect(ERROR_STACK_MAX_CHARS).toBe(LIMITS.crashStackText);
  });

  it('bound a huge one-word message quickly and still scrub what stays', () => {
    const input: ErrorReportInput = {
      component: 'agent',
      version: '1.0.0',
      type: 'Error',
      message: `${KEY} ${'x'.repeat(5_000_000)}`,
      handled: true,
      eventId: '0'.repeat(32),
      now: new Date(0),
    };
    const started = performance.now();
    const text = sentryEnvelope(input);
    expect(performance.now() - started).toBeLessThan(2_000);
    const event = JSON.parse(text.split('\n')[2]!) as { exception: { values: { value: string }[] } };
    const value = event.exception.values[0]!.value;
    expect(value.length).toBe(ERROR_MESSAGE_MAX_CHARS);
    expect(value.startsWith('vgl_[redacted] xxx')).toBe(true);
    expect(value).not.toContain(KEY);
  });
});
