// The daily digest of one workspace for the members who chose "digest": the period's events grouped
// by host, then by kind, with counts, a short line per item and links. Pure; the same escaping rules
// as the instant alert (display-safe text, HTML only through the `html` tag).
import { EVENT_KINDS, EVENT_KIND_ACCENTS, EVENT_KIND_HEADINGS, dashboardLinks, plural, type EventKind } from '@vigil/schema';
import {
  absoluteUrl,
  changeLine,
  eventTimes,
  formatUtc,
  hostDisplay,
  offlineSentence,
  solutionName,
  testLine,
  type AgentInfo,
  type EmailEvent,
  type HostDisplay,
  type WorkspaceInfo,
} from './email-formatting.js';
import { STYLE, button, emailDocument, hostnameHtml } from './email-layout.js';
import { displayText, subjectLine } from './email-text-safety.js';
import type { RenderedEmail } from './email-content.js';
import { html, type SafeHtml } from './html-template.js';

/** Items listed per host and kind; the rest are counted and one link away. */
export const DIGEST_ITEMS_PER_KIND = 10;

export interface DigestInput {
  workspace: WorkspaceInfo;
  events: { agent: AgentInfo; event: EmailEvent }[];
  periodStart: Date;
  periodEnd: Date;
  dashboardUrl: string;
}

interface KindGroup {
  kind: EventKind;
  label: string;
  eventCount: number;
  /** "2026-11-27 10:05 UTC · ClamAV: eicar-detected (security): not detected", at most DIGEST_ITEMS_PER_KIND. */
  items: string[];
  moreItems: number;
  url: string;
}

interface HostGroup {
  host: HostDisplay & { id: string };
  url: string;
  eventCount: number;
  kinds: KindGroup[];
}

/** One line per thing that happened: each test, each changed setting, each solution, or the event itself. */
function itemLines(event: EmailEvent): string[] {
  const { details } = event;
  switch (event.kind) {
    case 'test_failed':
    case 'test_recovered':
      return (details.tests ?? []).map((test) => {
        const line = testLine(test);
        return `${solutionName(test.solutionId)}: ${line.id} (${line.type})${line.message ? `: ${line.message}` : ''}`;
      });
    case 'config_changed':
      return (details.changes ?? []).map((change) => {
        const line = changeLine(change);
        return `${solutionName(change.solutionId)}: ${line.key}: ${line.before} → ${line.after}`;
      });
    case 'solution_added':
    case 'solution_removed':
      return [...new Set([...(details.solutions ?? []), ...event.solutionIds])].map(solutionName);
    case 'agent_offline':
      return [offlineSentence(details)];
    case 'agent_online':
      return ['The host reports again.'];
  }
}

/** When an item happened, and when it was processed if that was well after (a backfilled report). */
function whenLine(event: EmailEvent): string {
  const times = eventTimes(event);
  return times.late ? `${formatUtc(times.occurred)} (processed ${formatUtc(times.processed)})` : formatUtc(times.occurred);
}

function groupEvents(input: DigestInput): HostGroup[] {
  const byAgent = new Map<string, { agent: AgentInfo; events: EmailEvent[] }>();
  for (const { agent, event } of input.events) {
    const entry = byAgent.get(agent.id) ?? { agent, events: [] };
    entry.events.push(event);
    byAgent.set(agent.id, entry);
  }
  const ws = input.workspace.id;
  const hosts = [...byAgent.values()].map(({ agent, events }) => {
    const kinds = EVENT_KINDS.flatMap((kind): KindGroup[] => {
      const ofKind = events
        .filter((event) => event.kind === kind)
        .sort((a, b) => eventTimes(a).occurred.getTime() - eventTimes(b).occurred.getTime());
      if (ofKind.length === 0) return [];
      const lines = ofKind.flatMap((event) => {
        const lines = itemLines(event);
        return (lines.length > 0 ? lines : ['(no details recorded)']).map((line) => `${whenLine(event)} · ${line}`);
      });
      return [
        {
          kind,
          label: EVENT_KIND_HEADINGS[kind],
          eventCount: ofKind.length,
          items: lines.slice(0, DIGEST_ITEMS_PER_KIND),
          moreItems: Math.max(0, lines.length - DIGEST_ITEMS_PER_KIND),
          url: absoluteUrl(input.dashboardUrl, dashboardLinks.events(ws, { agent: agent.id, kind })),
        },
      ];
    });
    return {
      host: { ...hostDisplay(agent), id: agent.id },
      url: absoluteUrl(input.dashboardUrl, dashboardLinks.agent(ws, agent.id)),
      eventCount: events.length,
      kinds,
    };
  });
  return hosts.sort((a, b) => a.host.name.localeCompare(b.host.name) || a.host.id.localeCompare(b.host.id));
}

interface DigestFacts {
  subject: string;
  headline: string;
  workspace: string;
  period: string;
  summary: string;
  hosts: HostGroup[];
  eventsUrl: string;
  settingsUrl: string;
}

function renderText(facts: DigestFacts): string {
  const lines = [facts.headline, '', `Workspace: ${facts.workspace}`, `Period: ${facts.period}`, `Events: ${facts.summary}`];
  for (const group of facts.hosts) {
    lines.push('', '', `${group.host.label}: ${plural(group.eventCount, 'event')}`, `  ${group.url}`);
    for (const kind of group.kinds) {
      lines.push('', `  ${kind.label} (${plural(kind.eventCount, 'event')})`);
      for (const item of kind.items) lines.push(`    - ${item}`);
      if (kind.moreItems > 0) lines.push(`    … and ${kind.moreItems} more`);
      lines.push(`    ${kind.url}`);
    }
  }
  lines.push('', `All events: ${facts.eventsUrl}`, '', '--');
  lines.push(`You receive this digest because of your notification settings in ${facts.workspace}: ${facts.settingsUrl}`);
  return `${lines.join('\n')}\n`;
}

function kindHtml(kind: KindGroup): SafeHtml {
  const heading = html`<p style="margin:10px 0 4px;padding-left:8px;border-left:3px solid ${EVENT_KIND_ACCENTS[kind.kind]};"><strong>${kind.label}</strong> <span style="${STYLE.muted}">(${plural(kind.eventCount, 'event')})</span> · <a href="${kind.url}" style="${STYLE.link}">view</a></p>`;
  const items = kind.items.map((item) => html`<li style="${STYLE.item}">${item}</li>`);
  const more =
    kind.moreItems > 0 ? html`<li style="${STYLE.item}"><a href="${kind.url}" style="${STYLE.link}">… and ${kind.moreItems} more</a></li>` : '';
  return html`${heading}<ul style="${STYLE.list}">${items}${more}</ul>`;
}

function hostHtml(group: HostGroup): SafeHtml {
  const { host } = group;
  return html`<h2 style="${STYLE.section}"><a href="${group.url}" style="${STYLE.link}">${host.name}</a>${hostnameHtml(host)} <span style="${STYLE.muted}">· ${plural(group.eventCount, 'event')}</span></h2>
${group.kinds.map(kindHtml)}`;
}

function renderHtml(facts: DigestFacts): string {
  const hosts = facts.hosts.map(hostHtml);
  const body = html`<p style="${STYLE.kicker}">Vigil · ${facts.workspace}</p>
<h1 style="${STYLE.heading('#1a73e8')}">${facts.headline}</h1>
<table role="presentation" style="${STYLE.facts}">
<tr><td style="${STYLE.factLabel}">Workspace</td><td style="${STYLE.factValue}">${facts.workspace}</td></tr>
<tr><td style="${STYLE.factLabel}">Period</td><td style="${STYLE.factValue}">${facts.period}</td></tr>
<tr><td style="${STYLE.factLabel}">Events</td><td style="${STYLE.factValue}">${facts.summary}</td></tr>
</table>
${hosts}
${button(facts.eventsUrl, 'All events in Vigil')}
<p style="${STYLE.footer}">You receive this digest because of your notification settings in ${facts.workspace}. <a href="${facts.settingsUrl}" style="${STYLE.link}">Change them</a>.</p>`;
  return emailDocument({ title: facts.subject, preheader: `${facts.summary} (${facts.period})`, body });
}

function digestFacts(input: DigestInput): DigestFacts | undefined {
  if (input.events.length === 0) return undefined;
  const hosts = groupEvents(input);
  const workspace = displayText(input.workspace.name) || input.workspace.id;
  const summary = `${plural(input.events.length, 'event')} on ${plural(hosts.length, 'host')}`;
  return {
    subject: subjectLine(`[Vigil] Daily digest for ${workspace}: ${summary}`),
    headline: 'Daily digest',
    workspace,
    period: `${formatUtc(input.periodStart)} to ${formatUtc(input.periodEnd)}`,
    summary,
    hosts,
    eventsUrl: absoluteUrl(input.dashboardUrl, dashboardLinks.events(input.workspace.id)),
    settingsUrl: absoluteUrl(input.dashboardUrl, dashboardLinks.settings(input.workspace.id)),
  };
}

/** The digest email, or undefined when the period had no events (nothing to send). */
export function renderDigestEmail(input: DigestInput): RenderedEmail | undefined {
  const facts = digestFacts(input);
  return facts && { subject: facts.subject, text: renderText(facts), html: renderHtml(facts) };
}

/** The digest's facts for a SendGrid dynamic template (not HTML-escaped: Handlebars does that); undefined when empty. */
export type DigestTemplateData = {
  subject: string;
  headline: string;
  workspace: { id: string; name: string };
  period: string;
  summary: string;
  hosts: { id: string; name: string; hostname: string | null; label: string; url: string; eventCount: number; kinds: KindGroup[] }[];
  eventsUrl: string;
  settingsUrl: string;
};

export function digestTemplateData(input: DigestInput): DigestTemplateData | undefined {
  const facts = digestFacts(input);
  if (!facts) return undefined;
  return {
    subject: facts.subject,
    headline: facts.headline,
    workspace: { id: input.workspace.id, name: facts.workspace },
    period: facts.period,
    summary: facts.summary,
    hosts: facts.hosts.map(({ host, url, eventCount, kinds }) => ({
      id: host.id,
      name: host.name,
      hostname: host.hostname,
      label: host.label,
      url,
      eventCount,
      kinds,
    })),
    eventsUrl: facts.eventsUrl,
    settingsUrl: facts.settingsUrl,
  };
}
