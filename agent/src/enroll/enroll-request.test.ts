import { describe, expect, it } from 'vitest';
import { classifyEnrollAnswer } from './enroll-request.js';

const KEY = `vgl_qrstuvwxyz234567_${'N'.repeat(43)}`;
const RESULT = {
  workspaceId: 'ws1',
  agentId: 'a1',
  name: 'web-1',
  key: KEY,
  keyPrefix: 'vgl_qrstuvwxyz234567_…',
  reportingIntervalSeconds: 300,
  reused: true,
};
const error = (status: string, message: string) => JSON.stringify({ error: { status, message } });

describe('classifyEnrollAnswer', () => {
  it('takes a well-formed result, and nothing that only looks like one', () => {
    expect(classifyEnrollAnswer({ status: 200, text: JSON.stringify({ result: RESULT }) })).toEqual({ ok: true, result: RESULT });
    expect(classifyEnrollAnswer({ status: 200, text: JSON.stringify({ result: { ...RESULT, key: 'not-a-key' } }) })).toMatchObject({
      ok: false,
      kind: 'unavailable',
    });
    expect(classifyEnrollAnswer({ status: 200, text: JSON.stringify({ result: { accepted: true } }) })).toMatchObject({
      ok: false,
      kind: 'unavailable',
    });
  });

  it("sorts the callable's errors: refused for good, invalid, slowed down, or try again later", () => {
    expect(classifyEnrollAnswer({ status: 400, text: error('FAILED_PRECONDITION', 'This enrollment token is used up.') })).toEqual({
      ok: false,
      kind: 'refused',
      message: 'This enrollment token is used up.',
    });
    expect(classifyEnrollAnswer({ status: 403, text: error('PERMISSION_DENIED', 'Unknown token.') })).toMatchObject({ kind: 'refused' });
    expect(classifyEnrollAnswer({ status: 400, text: error('INVALID_ARGUMENT', 'labels: bad') })).toMatchObject({
      kind: 'invalid',
      message: 'labels: bad',
    });
    expect(classifyEnrollAnswer({ status: 429, text: error('RESOURCE_EXHAUSTED', 'slow down') })).toMatchObject({ kind: 'rate-limited' });
    expect(classifyEnrollAnswer({ status: 500, text: error('INTERNAL', 'oops') })).toMatchObject({
      kind: 'unavailable',
      message: 'INTERNAL: oops (HTTP 500)',
    });
    expect(classifyEnrollAnswer({ status: 502, text: '<html>bad gateway</html>' })).toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/HTTP 502, not as the enrollAgent function/),
    });
    expect(classifyEnrollAnswer({ networkError: 'fetch failed (ECONNREFUSED)' })).toMatchObject({
      kind: 'unavailable',
      message: 'cannot reach the endpoint: fetch failed (ECONNREFUSED)',
    });
  });

  it("strips control characters from the server's message, which goes to a terminal", () => {
    expect(classifyEnrollAnswer({ status: 400, text: error('FAILED_PRECONDITION', 'revoked\u001b[2J\nnow') })).toMatchObject({
      message: 'revoked [2J now',
    });
  });
});
