// The one place an email leaves Vigil: the real @sendgrid/mail client, pointed at SendGrid or, in
// the emulators, at the local mail sink (SENDGRID_BASE_URL). Also what a failed send means for a
// retry (sendFailure).
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { EMAIL_DELIVERY } from '@vigil/schema';
import type { SendFailure } from './email-delivery.js';

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** When set, SendGrid renders its dynamic template with templateData instead of text/html. */
  templateId?: string;
  templateData?: Record<string, unknown>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}

export function createMailer(options: { apiKey: string; baseUrl: string; from: string; timeoutMs?: number }): Mailer {
  const client = new Client();
  client.setApiKey(options.apiKey);
  client.setDefaultRequest('baseUrl', options.baseUrl);
  // A send that hangs must end well before its claim's lease does, or a second run could send it too.
  // (The client passes its default request to axios as it is; its types just do not list timeout.)
  client.setDefaultRequest('timeout' as 'baseUrl', (options.timeoutMs ?? EMAIL_DELIVERY.sendTimeoutSeconds * 1000) as never);
  const mail = new MailService();
  mail.setClient(client);
  return {
    async send(email) {
      // One personalization per recipient: nobody sees who else the alert went to.
      const personalizations = email.to.map((to) =>
        email.templateId ? { to: [{ email: to }], dynamicTemplateData: email.templateData } : { to: [{ email: to }] },
      );
      if (email.templateId) {
        await mail.send({ from: options.from, templateId: email.templateId, personalizations } as never);
      } else {
        await mail.send({ from: options.from, subject: email.subject, text: email.text, html: email.html, personalizations } as never);
      }
    },
  };
}

/** A short, safe description of a failed send (status and SendGrid's messages, never our internals). */
export function describeSendError(error: unknown): string {
  const sendgrid = error as { code?: unknown; response?: { body?: { errors?: Array<{ message?: string; field?: string }> } } };
  const messages = sendgrid.response?.body?.errors?.map((item) => [item.field, item.message].filter(Boolean).join(': ')) ?? [];
  // Network errors carry a string code (ECONNREFUSED): only an HTTP status means SendGrid answered.
  if (typeof sendgrid.code === 'number')
    return `SendGrid answered ${sendgrid.code}${messages.length ? `: ${messages.join('; ')}` : ''}`.slice(0, 500);
  return `could not reach SendGrid: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
}

/** Retry-After is either seconds or an HTTP date. */
function retryAfterMs(header: unknown, nowMs: number): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * What a failed send means: SendGrid's 5xx, 408 (timeout) and 429 (rate limit, with its Retry-After)
 * and not reaching it at all are worth retrying; any other 4xx is a refusal of the request itself
 * (bad address, bad key, too large), which retrying cannot fix.
 */
export function sendFailure(error: unknown, nowMs = Date.now()): SendFailure & { message: string } {
  const sendgrid = error as { code?: unknown; response?: { headers?: Record<string, unknown> } };
  const message = describeSendError(error);
  if (typeof sendgrid.code !== 'number') return { retryable: true, retryAfterMs: null, message };
  const status = sendgrid.code;
  const retryable = status >= 500 || status === 408 || status === 429;
  const after = status === 429 || status === 503 ? retryAfterMs(sendgrid.response?.headers?.['retry-after'], nowMs) : null;
  return { retryable, retryAfterMs: after, message };
}
