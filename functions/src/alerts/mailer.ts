// The one place an email leaves Vigil: the real @sendgrid/mail client, pointed at SendGrid or, in
// the emulators, at the local mail sink (SENDGRID_BASE_URL).
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';

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

export function createMailer(options: { apiKey: string; baseUrl: string; from: string }): Mailer {
  const client = new Client();
  client.setApiKey(options.apiKey);
  client.setDefaultRequest('baseUrl', options.baseUrl);
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
  const sendgrid = error as { code?: number; response?: { body?: { errors?: Array<{ message?: string; field?: string }> } } };
  const messages = sendgrid.response?.body?.errors?.map((item) => [item.field, item.message].filter(Boolean).join(': ')) ?? [];
  if (sendgrid.code) return `SendGrid answered ${sendgrid.code}${messages.length ? `: ${messages.join('; ')}` : ''}`.slice(0, 500);
  return `could not reach SendGrid: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
}
