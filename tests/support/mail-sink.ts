// Reads what the local SendGrid stand-in (scripts/mail-sink.mjs, port 8025) received.
export const MAIL_SINK = 'http://127.0.0.1:8025';

export interface SinkMessage {
  receivedAt: string;
  from: { email: string; name?: string };
  subject?: string;
  personalizations: Array<{ to: Array<{ email: string }> }>;
  content?: Array<{ type: string; value: string }>;
}

export async function sinkMessages(): Promise<SinkMessage[]> {
  const response = await fetch(`${MAIL_SINK}/messages`);
  if (!response.ok) throw new Error(`mail sink answered ${response.status}`);
  return (await response.json()) as SinkMessage[];
}

export async function clearSink(): Promise<void> {
  await fetch(`${MAIL_SINK}/messages`, { method: 'DELETE' });
}

/** Messages sent to one address (tests share the sink, each with its own user). */
export async function messagesTo(email: string): Promise<SinkMessage[]> {
  return (await sinkMessages()).filter((message) =>
    message.personalizations.some((personalization) => personalization.to.some((to) => to.email === email.toLowerCase())),
  );
}

export function bodyOf(message: SinkMessage, type: 'text/plain' | 'text/html'): string {
  return message.content?.find((part) => part.type === type)?.value ?? '';
}

/** Makes the sink answer sends like a failing SendGrid (see the fault switch in scripts/lib/mail-sink-server.mjs). */
export async function failSends(fault: { status: number; count?: number; retryAfterSeconds?: number; to?: string }): Promise<void> {
  const response = await fetch(`${MAIL_SINK}/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`mail sink refused the fault: ${response.status} ${await response.text()}`);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${MAIL_SINK}/fault`, { method: 'DELETE' });
}
