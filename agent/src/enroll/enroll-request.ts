// The enrollAgent call: POST {"data": {machineId, hostname, agentVersion, labels}} with the token in
// its own header (callables treat Authorization as a Firebase ID token, as for the agent key), and
// what the answer means. Shared by the CLI and the relay, which forwards the same request.
import { ENROLLMENT_TOKEN_HEADER, enrollAgentResultSchema, API_KEY_PATTERN, type EnrollAgentResult } from '@vigil/schema';

export { ENROLLMENT_TOKEN_HEADER };

/** Server text we pass on is cut here; control characters go (it is printed on a terminal). */
const MAX_MESSAGE_CHARS = 500;

export type RawEnrollAnswer = { status: number; text: string } | { networkError: string };

/** POSTs the body as it is; never throws. */
export async function postEnrollment(options: {
  fetch: typeof fetch;
  url: string;
  token: string;
  body: string;
  timeoutMs: number;
}): Promise<RawEnrollAnswer> {
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ENROLLMENT_TOKEN_HEADER]: options.token },
      body: options.body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { networkError: networkMessage(error, options.timeoutMs) };
  }
}

function networkMessage(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const detail = cause?.code ?? cause?.message;
  return cleanText(`${message ?? String(error)}${detail ? ` (${detail})` : ''}`);
}

function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, MAX_MESSAGE_CHARS);
}

export type EnrollOutcome =
  | { ok: true; result: EnrollAgentResult }
  /**
   * `refused`: the server said no to this token (unknown, wrong, revoked, expired, used up, or the
   * workspace is full): enrolling again with it will not help. `invalid`: it refused the request.
   * `unavailable`: no answer, or not the function's (a proxy, a wrong URL, a 5xx): try again later.
   */
  | { ok: false; kind: 'refused' | 'invalid' | 'rate-limited' | 'unavailable'; message: string };

const REFUSALS = new Set(['PERMISSION_DENIED', 'FAILED_PRECONDITION', 'UNAUTHENTICATED', 'NOT_FOUND']);

/** What an answer of enrollAgent means. Pure. */
export function classifyEnrollAnswer(answer: RawEnrollAnswer): EnrollOutcome {
  if ('networkError' in answer) return { ok: false, kind: 'unavailable', message: `cannot reach the endpoint: ${answer.networkError}` };
  let body: { result?: unknown; error?: { status?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    body = undefined;
  }
  if (answer.status === 200 && body && typeof body === 'object' && 'result' in body) {
    const result = enrollAgentResultSchema.safeParse(body.result);
    if (result.success && API_KEY_PATTERN.test(result.data.key)) return { ok: true, result: result.data };
    return { ok: false, kind: 'unavailable', message: 'the endpoint answered 200 but not with an enrollment (is it the enrollAgent function?)' };
  }
  const error = body && typeof body === 'object' ? body.error : undefined;
  if (error && typeof error === 'object' && typeof error.status === 'string') {
    const message = cleanText(typeof error.message === 'string' ? error.message : '') || error.status;
    if (REFUSALS.has(error.status)) return { ok: false, kind: 'refused', message };
    if (error.status === 'INVALID_ARGUMENT') return { ok: false, kind: 'invalid', message };
    if (error.status === 'RESOURCE_EXHAUSTED') return { ok: false, kind: 'rate-limited', message };
    return { ok: false, kind: 'unavailable', message: `${error.status}: ${message} (HTTP ${answer.status})` };
  }
  return { ok: false, kind: 'unavailable', message: `the endpoint answered HTTP ${answer.status}, not as the enrollAgent function` };
}
