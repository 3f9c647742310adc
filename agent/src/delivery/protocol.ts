// The callable protocol between the agent and `ingestReport`, and what each answer means for the
// spool. A callable answers `{"result": …}` with HTTP 200 or `{"error": {status, message, details}}`
// (UNAUTHENTICATED 401, INVALID_ARGUMENT 400, RESOURCE_EXHAUSTED 429, INTERNAL 500, …).
// The key travels in its own header: callables treat `Authorization` as a Firebase ID token.
// The ticket of the last reply (opaque: the agent document as ingest left it, which spares the
// ingest instance the next report reaches a read) travels back in its own header too.
import { AGENT_KEY_HEADER, AGENT_TICKET_HEADER, ingestReplySchema, type IngestReply } from '@vigil/schema';

// The headers' one home is @vigil/schema/constants; the relay imports them from here.
export { AGENT_KEY_HEADER, AGENT_TICKET_HEADER };

export type DeliveryErrorKind = 'unauthenticated' | 'invalid' | 'rate-limited' | 'network' | 'server';

export interface DeliveryError {
  kind: DeliveryErrorKind;
  message: string;
  retryAfterSeconds?: number;
}

export type IngestAnswer =
  | { ok: true; reply: IngestReply }
  /** `fromIngest`: the answer is a callable error, so the endpoint really is a Vigil function. */
  | { ok: false; error: DeliveryError; fromIngest: boolean };

/** When RESOURCE_EXHAUSTED carries no usable hint. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** Server text we pass on is cut here: it goes into logs and the doctor's output. */
const MAX_MESSAGE_CHARS = 500;

function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, MAX_MESSAGE_CHARS);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function retryAfterFrom(details: unknown): number {
  const value = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : DEFAULT_RETRY_AFTER_SECONDS;
}

/** What an HTTP answer of the ingest endpoint means. Pure: the unit tests feed it captured answers. */
export function classifyAnswer(httpStatus: number, bodyText: string): IngestAnswer {
  const body = parseJson(bodyText) as { result?: unknown; error?: { status?: unknown; message?: unknown; details?: unknown } } | undefined;
  if (httpStatus === 200 && body && typeof body === 'object' && 'result' in body) {
    const reply = ingestReplySchema.safeParse(body.result);
    if (reply.success) return { ok: true, reply: reply.data };
    return { ok: false, fromIngest: false, error: { kind: 'server', message: 'the endpoint answered 200 but not with an ingest reply' } };
  }
  const error = body && typeof body === 'object' ? body.error : undefined;
  if (error && typeof error === 'object' && typeof error.status === 'string') {
    const message = cleanText(typeof error.message === 'string' ? error.message : '');
    switch (error.status) {
      case 'UNAUTHENTICATED':
        return { ok: false, fromIngest: true, error: { kind: 'unauthenticated', message: message || 'the agent key was refused' } };
      case 'INVALID_ARGUMENT':
        return { ok: false, fromIngest: true, error: { kind: 'invalid', message: message || 'the report was refused as invalid' } };
      case 'RESOURCE_EXHAUSTED': {
        const retryAfterSeconds = retryAfterFrom(error.details);
        return {
          ok: false,
          fromIngest: true,
          error: { kind: 'rate-limited', message: message || `rate limited; retry in ${retryAfterSeconds} s`, retryAfterSeconds },
        };
      }
      default:
        return {
          ok: false,
          fromIngest: true,
          error: { kind: 'server', message: `${error.status}${message ? `: ${message}` : ''} (HTTP ${httpStatus})` },
        };
    }
  }
  // Not a callable answer: a proxy, a load balancer, a wrong URL, or the emulator before it loaded.
  return { ok: false, fromIngest: false, error: { kind: 'server', message: `the endpoint answered HTTP ${httpStatus}, not as the ingest function` } };
}

function networkMessage(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`;
  }
  // undici puts the useful part (ECONNREFUSED 127.0.0.1:5001, ENOTFOUND host) in the cause.
  const detail = cause?.code ?? cause?.message;
  return cleanText(`${message ?? String(error)}${detail ? ` (${detail})` : ''}`);
}

export interface PostOptions {
  fetch: typeof fetch;
  endpoint: string;
  key: string;
  /** The report's JSON text exactly as spooled. */
  reportJson: string;
  timeoutMs: number;
  /** The ticket of the latest reply (IngestReply.ticket), if any: never logged. */
  ticket?: string | undefined;
}

/** What came back from one POST: the HTTP answer as it is, or why there was none. */
export type RawAnswer = { status: number; text: string } | { networkError: string };

/** POSTs the body (`{"data": report}`) to the callable with the key in its header; never throws. */
export async function postRaw({
  fetch: fetchImpl,
  endpoint,
  key,
  body,
  timeoutMs,
  ticket,
}: Omit<PostOptions, 'reportJson'> & { body: string }): Promise<RawAnswer> {
  try {
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [AGENT_KEY_HEADER]: key, ...(ticket ? { [AGENT_TICKET_HEADER]: ticket } : {}) },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { networkError: networkMessage(error, timeoutMs) };
  }
}

/** POSTs `{"data": report}` to the callable and classifies the answer; never throws. */
export async function postToIngest({ reportJson, ...options }: PostOptions): Promise<IngestAnswer> {
  const answer = await postRaw({ ...options, body: `{"data":${reportJson}}` });
  if ('networkError' in answer) return { ok: false, fromIngest: false, error: { kind: 'network', message: answer.networkError } };
  return classifyAnswer(answer.status, answer.text);
}
