// fetchAgentKey, as the agent calls it: POST `{"data":{}}` with the current key in X-Vigil-Key (the
// ingest's header, never a URL), and the new key out of the reply. Never throws; the message it
// returns never holds a key (the caller redacts the current one too).
import { AGENT_KEY_HEADER, fetchAgentKeyResultSchema, parseApiKey } from '@vigil/schema';

export type FetchKeyAnswer = { ok: true; key: string } | { ok: false; message: string };

const MAX_MESSAGE_CHARS = 300;

export async function fetchNewKey(options: { fetch: typeof fetch; url: string; key: string; timeoutMs: number }): Promise<FetchKeyAnswer> {
  let status: number;
  let text: string;
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [AGENT_KEY_HEADER]: options.key },
      body: '{"data":{}}',
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return { ok: false, message: `no answer from fetchAgentKey: ${error instanceof Error ? error.message : String(error)}` };
  }
  return classifyKeyAnswer(status, text);
}

/** What fetchAgentKey's HTTP answer means. Pure: the unit tests feed it answers. */
export function classifyKeyAnswer(status: number, text: string): FetchKeyAnswer {
  let body: { result?: unknown; error?: { status?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (status === 200 && body && typeof body === 'object') {
    const result = fetchAgentKeyResultSchema.safeParse(body.result);
    // Only a well-formed Vigil key is ever written to the key file.
    if (result.success && parseApiKey(result.data.key)) return { ok: true, key: result.data.key };
    return { ok: false, message: 'fetchAgentKey answered 200 but not with a key' };
  }
  const error = body && typeof body === 'object' ? body.error : undefined;
  if (error && typeof error === 'object' && typeof error.status === 'string') {
    const message = typeof error.message === 'string' ? error.message.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, MAX_MESSAGE_CHARS) : '';
    return { ok: false, message: `${error.status}${message ? `: ${message}` : ''}` };
  }
  return { ok: false, message: `fetchAgentKey answered HTTP ${status}` };
}
