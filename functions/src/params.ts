// Every deploy-time setting and secret of the functions, read in one place.
// In the emulators, functions/.env.local (committed, development values only) and
// functions/.secret.local (written by the harness, git-ignored) provide them.
import { EMAIL_DELIVERY } from '@vigil/schema';
import { defineInt, defineSecret, defineString } from 'firebase-functions/params';
import { checkedDashboardUrl } from './dashboard-url.js';
import { isEmulator } from './firebase/runtime.js';

/** Where people open the dashboard; install commands and emails link here. No default: a deploy must say. */
const dashboardUrlParam = defineString('DASHBOARD_URL', {
  description: 'Public https URL of the Vigil dashboard (Firebase Hosting), e.g. https://<project id>.web.app.',
});

/**
 * DASHBOARD_URL as every reader uses it, checked at each use (a param's value exists only at run
 * time): an https URL outside the emulator, never a local address, without trailing slashes.
 * A wrong value fails the install command or the email loudly instead of linking elsewhere.
 */
export const dashboardUrl = {
  value: (): string => checkedDashboardUrl(dashboardUrlParam.value(), isEmulator()),
};

/** Overrides the ingest URL written into install commands (for a custom domain or a relay). */
export const publicIngestUrl = defineString('PUBLIC_INGEST_URL', {
  default: '',
  description: 'Public URL of the ingestReport function; empty means the default cloudfunctions.net URL.',
});

export const sendgridApiKey = defineSecret('SENDGRID_API_KEY');

/** SendGrid's API; the emulators point it at the local mail sink (scripts/mail-sink.mjs). */
export const sendgridBaseUrl = defineString('SENDGRID_BASE_URL', {
  default: 'https://api.sendgrid.com',
  description: 'Base URL of the SendGrid v3 API.',
});

export const mailFrom = defineString('MAIL_FROM', {
  description: 'Sender of alert emails, a SendGrid verified sender, e.g. "Vigil <alerts@example.com>".',
});

/** Optional SendGrid dynamic templates; empty means Vigil's built-in templates. */
export const sendgridEventTemplateId = defineString('SENDGRID_TEMPLATE_EVENT', {
  default: '',
  description: 'SendGrid dynamic template id for event emails (optional).',
});
export const sendgridDigestTemplateId = defineString('SENDGRID_TEMPLATE_DIGEST', {
  default: '',
  description: 'SendGrid dynamic template id for the daily digest (optional).',
});

/**
 * The operator's own Sentry project for unexpected errors of the functions (docs/telemetry.md).
 * Empty (the default) means error reporting is off and nothing is sent anywhere.
 */
export const sentryDsn = defineString('SENTRY_DSN', {
  default: '',
  description: 'Sentry DSN for errors of the functions (optional; empty turns error reporting off).',
});

/**
 * How many agents one workspace may hold (every agent document counts, revoked ones too), so one
 * sign-up cannot enroll without bound. A workspace's `maxAgents` field, set by the operator with the
 * Admin SDK, replaces it for that workspace.
 */
export const maxAgentsPerWorkspace = defineInt('MAX_AGENTS_PER_WORKSPACE', {
  default: 1000,
  description: 'Most agents a workspace may enroll (a workspace document field maxAgents overrides it).',
});

/**
 * Event emails per workspace per clock hour (UTC). Beyond it, alerts are not mailed one by one but
 * counted into ONE summary email after the hour ("N more alerts, see the dashboard"), so a flapping
 * fleet (or an abuser) cannot flood inboxes or the sender's reputation. Digests are not counted.
 */
export const maxEmailsPerHour = defineInt('MAX_EMAILS_PER_HOUR', {
  default: EMAIL_DELIVERY.defaultMaxEmailsPerHour,
  description: 'Event emails per workspace per hour; the overflow is told in one summary email.',
});

/** The cap in force: a missing or non-positive value (a mistyped deploy setting) means the default. */
export function emailsPerHourCap(): number {
  const value = maxEmailsPerHour.value();
  return Number.isInteger(value) && value > 0 ? value : EMAIL_DELIVERY.defaultMaxEmailsPerHour;
}
