import { describe, expect, it } from 'vitest';
import { classifyAnswer } from './protocol.js';

const reply = { accepted: true, duplicate: false, reportId: 'r-0123456789', intervalSeconds: 300 };
const callableError = (status: string, message: string, details?: unknown) => JSON.stringify({ error: { status, message, details } });

describe('classifyAnswer', () => {
  it('accepts a callable result that is an ingest reply', () => {
    expect(classifyAnswer(200, JSON.stringify({ result: reply }))).toEqual({ ok: true, reply });
  });

  it('treats a 200 that is not an ingest reply as a server error, so the report stays spooled', () => {
    const answer = classifyAnswer(200, JSON.stringify({ result: { hello: 'captive portal' } }));
    expect(answer).toMatchObject({ ok: false, error: { kind: 'server' } });
  });

  it('maps each callable error status to its kind', () => {
    expect(classifyAnswer(401, callableError('UNAUTHENTICATED', 'The agent key is missing, unknown or revoked.'))).toEqual({
      ok: false,
      fromIngest: true,
      error: { kind: 'unauthenticated', message: 'The agent key is missing, unknown or revoked.' },
    });
    expect(classifyAnswer(400, callableError('INVALID_ARGUMENT', 'Invalid report. reportId: too short'))).toMatchObject({
      error: { kind: 'invalid', message: 'Invalid report. reportId: too short' },
    });
    expect(classifyAnswer(500, callableError('INTERNAL', 'INTERNAL'))).toMatchObject({
      fromIngest: true,
      error: { kind: 'server', message: 'INTERNAL: INTERNAL (HTTP 500)' },
    });
  });

  it('takes the retry hint of RESOURCE_EXHAUSTED, with a default when it is missing or nonsense', () => {
    expect(classifyAnswer(429, callableError('RESOURCE_EXHAUSTED', 'slow down', { retryAfterSeconds: 42.2 }))).toMatchObject({
      error: { kind: 'rate-limited', retryAfterSeconds: 43 },
    });
    expect(classifyAnswer(429, callableError('RESOURCE_EXHAUSTED', 'slow down'))).toMatchObject({ error: { retryAfterSeconds: 60 } });
    expect(classifyAnswer(429, callableError('RESOURCE_EXHAUSTED', 'x', { retryAfterSeconds: -5 }))).toMatchObject({
      error: { retryAfterSeconds: 60 },
    });
  });

  it('says when the endpoint is not a callable at all', () => {
    expect(classifyAnswer(404, 'Function us-central1-ingestReport does not exist')).toEqual({
      ok: false,
      fromIngest: false,
      error: { kind: 'server', message: 'the endpoint answered HTTP 404, not as the ingest function' },
    });
    expect(classifyAnswer(502, '<html>Bad gateway</html>')).toMatchObject({ fromIngest: false, error: { kind: 'server' } });
  });

  it('cuts long server text and strips control characters', () => {
    const answer = classifyAnswer(400, callableError('INVALID_ARGUMENT', `line\none\u001b[31m${'x'.repeat(2_000)}`));
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.message.length).toBeLessThanOrEqual(500);
    expect(answer.error.message).not.toMatch(/[\n\u001b]/);
  });
});
