// The one email that stands for an hour's alerts over the workspace's cap (MAX_EMAILS_PER_HOUR):
// how many were not mailed, of which kinds, and a link to see them all. Pure; our built-in template
// even when SendGrid templates are configured (it has no event to fill one with).
import { EVENT_KINDS, EVENT_KIND_HEADINGS, dashboardLinks, plural, type EventKind } from '@vigil/schema';
import type { RenderedEmail } from './email-content.js';
import { absoluteUrl, formatUtc, type WorkspaceInfo } from './email-formatting.js';
import { STYLE, button, emailDocument } from './email-layout.js';
import { displayText, subjectLine } from './email-text-safety.js';
import { hourEndMs } from './email-delivery.js';
import { html } from './html-template.js';

export interface HourSummaryInput {
  workspace: WorkspaceInfo;
  /** "2026-12-01T21" (UTC). */
  hour: string;
  /** Alerts emailed in the hour (the cap, once it was reached). */
  sent: number;
  capped: number;
  cappedKinds: Partial<Record<EventKind, number>>;
  dashboardUrl: string;
}

export function renderHourSummary(input: HourSummaryInput): RenderedEmail {
  const workspace = displayText(input.workspace.name) || input.workspace.id;
  const end = hourEndMs(input.hour);
  const period = `between ${formatUtc(new Date(end - 3_600_000))} and ${formatUtc(new Date(end))}`;
  const more = `${input.capped} more ${input.capped === 1 ? 'alert' : 'alerts'}`;
  const subject = subjectLine(`[Vigil] ${more} in ${workspace} in the last hour`);
  const sentence = `Vigil emailed ${plural(input.sent, 'alert')} for ${workspace} ${period}, its limit per hour, and did not email ${more}:`;
  const kinds = EVENT_KINDS.flatMap((kind) => {
    const count = Object.hasOwn(input.cappedKinds, kind) ? Number(input.cappedKinds[kind]) : 0;
    return count > 0 ? [`${EVENT_KIND_HEADINGS[kind]}: ${count}`] : [];
  });
  const url = absoluteUrl(input.dashboardUrl, dashboardLinks.events(input.workspace.id));
  const settingsUrl = absoluteUrl(input.dashboardUrl, dashboardLinks.settings(input.workspace.id));

  const text = [
    `${more} in ${workspace}`,
    '',
    sentence,
    ...kinds.map((line) => `  - ${line}`),
    '',
    `See them all in the dashboard: ${url}`,
    '',
    '--',
    `You receive this email because of your notification settings in ${workspace}: ${settingsUrl}`,
    '',
  ].join('\n');
  const body = html`<p style="${STYLE.kicker}">Vigil · ${workspace}</p>
<h1 style="${STYLE.heading('#e37400')}">${more} in the last hour</h1>
<p style="${STYLE.paragraph}">${sentence}</p>
<ul style="${STYLE.list}">${kinds.map((line) => html`<li style="${STYLE.item}">${line}</li>`)}</ul>
${button(url, 'See them all in Vigil')}
<p style="${STYLE.paragraph}"><a href="${url}" style="${STYLE.link}">${url}</a></p>
<p style="${STYLE.footer}">You receive this email because of your notification settings in ${workspace}. <a href="${settingsUrl}" style="${STYLE.link}">Change them</a>.</p>`;
  return { subject, text, html: emailDocument({ title: subject, preheader: sentence, body }) };
}
