// The instant alert for one event (one report's items of one kind): subject, text and HTML of our
// built-in template, and the same facts as data for a SendGrid dynamic template. Pure.
//
// Everything an agent or a user supplied (agent names, hostnames, solution and test ids, test
// messages, configuration keys and values, the workspace name) goes through `displayText` (one
// line, no control characters, truncated) and reaches the HTML only through the escaping `html` tag.
import { EVENT_KIND_ACCENTS, EVENT_KIND_HEADINGS, dashboardLinks, plural, type EventKind } from '@vigil/schema';
import {
  absoluteUrl,
  changeLine,
  eventPath,
  eventSolutionIds,
  eventTimes,
  formatIsoTime,
  formatUtc,
  hostDisplay,
  offlineSentence,
  nameList,
  solutionName,
  testLine,
  type AgentInfo,
  type EmailEvent,
  type HostDisplay,
  type WorkspaceInfo,
} from './email-formatting.js';
import { STYLE, button, emailDocument, hostnameHtml } from './email-layout.js';
import { displayText, subjectLine } from './email-text-safety.js';
import { html, type SafeHtml } from './html-template.js';

export interface EventEmailInput {
  workspace: WorkspaceInfo;
  agent: AgentInfo;
  event: EmailEvent;
  /** Public URL of the dashboard (the DASHBOARD_URL param); links in the email are absolute. */
  dashboardUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface SolutionSection {
  id: string;
  name: string;
  /** "ClamAV (clamav)", or the id alone for a solution the catalog does not know. */
  label: string;
  url: string;
  tests: { id: string; type: string; message: string }[];
  changes: { key: string; before: string; after: string }[];
}

/** What every rendering of one event says, display-safe but not HTML-escaped. */
interface EventFacts {
  kind: EventKind;
  subject: string;
  headline: string;
  intro: string;
  workspace: { id: string; name: string };
  host: HostDisplay & { id: string };
  solutions: SolutionSection[];
  url: string;
  settingsUrl: string;
  reportId: string | null;
  /** When it happened (formatted). */
  occurredAt: string;
  /** When Vigil processed it (formatted). */
  createdAt: string;
  /** Processed more than a few minutes after it happened: emails then say both. */
  processedLate: boolean;
  lastSeenAt: string | null;
  missedIntervals: number | null;
}

function sectionsOf(input: EventEmailInput): SolutionSection[] {
  const { workspace, agent, event, dashboardUrl } = input;
  return eventSolutionIds(event).map((solutionId) => {
    const id = displayText(solutionId);
    const name = solutionName(solutionId);
    return {
      id,
      name,
      label: name === id ? id : `${name} (${id})`,
      url: absoluteUrl(dashboardUrl, dashboardLinks.solution(workspace.id, agent.id, solutionId)),
      tests: (event.details.tests ?? []).filter((test) => test.solutionId === solutionId).map(testLine),
      changes: (event.details.changes ?? []).filter((change) => change.solutionId === solutionId).map(changeLine),
    };
  });
}

function capitalize(value: string): string {
  return `${value.charAt(0).toUpperCase()}${value.slice(1)}`;
}

function subjectAndHeadline(kind: EventKind, host: HostDisplay, sections: SolutionSection[], testCount: number) {
  if (kind === 'agent_offline') return { subject: `[Vigil] ${host.name} is offline`, headline: `${host.name} is offline` };
  if (kind === 'agent_online') return { subject: `[Vigil] ${host.name} is back online`, headline: `${host.name} is back online` };
  const tests = testCount > 0 ? plural(testCount, 'test') : 'tests';
  const solutions = (verb: string) => (sections.length > 1 ? `${sections.length} solutions ${verb}` : `solution ${verb}`);
  const what = {
    test_failed: `${tests} failing`,
    test_recovered: `${tests} recovered`,
    config_changed: 'configuration changed',
    solution_added: solutions('added'),
    solution_removed: solutions('removed'),
  }[kind];
  const names = nameList(sections.map((section) => section.name));
  return {
    subject: `[Vigil] ${host.name}: ${what}${names ? ` (${names})` : ''}`,
    headline: `${capitalize(what)} on ${host.name}`,
  };
}

function introOf(event: EmailEvent, occurredAt: string): string {
  switch (event.kind) {
    case 'test_failed':
      return 'These tests are failing:';
    case 'test_recovered':
      return 'These tests pass again:';
    case 'config_changed':
      return 'These settings changed (before → after):';
    case 'solution_added':
      return 'The host now reports these solutions:';
    case 'solution_removed':
      return 'The host no longer reports these solutions. If nobody removed them on purpose, look at the host:';
    case 'agent_offline':
      return offlineSentence(event.details);
    case 'agent_online':
      return `The host reports again (${occurredAt}).`;
  }
}

function eventFacts(input: EventEmailInput): EventFacts {
  const { workspace, agent, event, dashboardUrl } = input;
  const host = { ...hostDisplay(agent), id: agent.id };
  const solutions = sectionsOf(input);
  const testCount = solutions.reduce((count, section) => count + section.tests.length, 0);
  const wording = subjectAndHeadline(event.kind, host, solutions, testCount);
  const times = eventTimes(event);
  const occurredAt = formatUtc(times.occurred);
  return {
    kind: event.kind,
    subject: subjectLine(wording.subject),
    headline: wording.headline,
    intro: introOf(event, occurredAt),
    workspace: { id: workspace.id, name: displayText(workspace.name) },
    host,
    solutions,
    url: absoluteUrl(dashboardUrl, eventPath(workspace.id, agent.id, event)),
    settingsUrl: absoluteUrl(dashboardUrl, dashboardLinks.settings(workspace.id)),
    reportId: event.reportId === null ? null : displayText(event.reportId),
    occurredAt,
    createdAt: formatUtc(times.processed),
    processedLate: times.late,
    lastSeenAt: event.details.lastSeenAt ? formatIsoTime(event.details.lastSeenAt) : null,
    missedIntervals: typeof event.details.missedIntervals === 'number' ? event.details.missedIntervals : null,
  };
}

/** "2026-11-27 10:06 UTC (reported late)": said only when processing came well after the fact. */
function processedLine(facts: EventFacts): string {
  return `${facts.createdAt} (reported late)`;
}

const hasItems = (kind: EventKind) => kind === 'test_failed' || kind === 'test_recovered' || kind === 'config_changed';
const isSolutionList = (kind: EventKind) => kind === 'solution_added' || kind === 'solution_removed';

function renderText(facts: EventFacts): string {
  const lines = [facts.headline, '', `Workspace: ${facts.workspace.name}`, `Host: ${facts.host.label}`];
  if (facts.solutions.length > 0)
    lines.push(
      `Solutions: ${nameList(
        facts.solutions.map((section) => section.name),
        20,
      )}`,
    );
  lines.push(`When: ${facts.occurredAt}`);
  if (facts.processedLate) lines.push(`Processed: ${processedLine(facts)}`);
  lines.push('', facts.intro);
  const linkEach = facts.solutions.length > 1;
  if (hasItems(facts.kind)) {
    for (const section of facts.solutions) {
      lines.push('', section.label);
      for (const test of section.tests) lines.push(`  - ${test.id} (${test.type})${test.message ? `: ${test.message}` : ''}`);
      for (const change of section.changes) lines.push(`  - ${change.key}: ${change.before} → ${change.after}`);
      if (section.tests.length === 0 && section.changes.length === 0) lines.push('  (no details recorded)');
      if (linkEach) lines.push(`  ${section.url}`);
    }
  } else if (isSolutionList(facts.kind)) {
    lines.push('');
    for (const section of facts.solutions) lines.push(`  - ${section.label}${linkEach ? `: ${section.url}` : ''}`);
  }
  lines.push('', `Open in Vigil: ${facts.url}`, '', '--');
  if (facts.reportId) lines.push(`Report ${facts.reportId}`);
  lines.push(`You receive this email because of your notification settings in ${facts.workspace.name}: ${facts.settingsUrl}`);
  return `${lines.join('\n')}\n`;
}

function hostHtml(host: HostDisplay): SafeHtml {
  return html`<strong>${host.name}</strong>${hostnameHtml(host)}`;
}

/** "ClamAV (clamav)", the name linking to the solution page when the email is about several. */
function solutionHtml(section: SolutionSection, linked: boolean): SafeHtml {
  const name = linked ? html`<a href="${section.url}" style="${STYLE.link}">${section.name}</a>` : section.name;
  const id = section.name === section.id ? '' : html` <span style="${STYLE.muted}">(${section.id})</span>`;
  return html`${name}${id}`;
}

function factsTable(facts: EventFacts): SafeHtml {
  const rows: [string, SafeHtml | string][] = [
    ['Workspace', facts.workspace.name],
    ['Host', hostHtml(facts.host)],
  ];
  if (facts.solutions.length > 0)
    rows.push([
      'Solutions',
      nameList(
        facts.solutions.map((section) => section.name),
        20,
      ),
    ]);
  rows.push(['When', facts.occurredAt]);
  if (facts.processedLate) rows.push(['Processed', processedLine(facts)]);
  const cells = rows.map(([label, value]) => html`<tr><td style="${STYLE.factLabel}">${label}</td><td style="${STYLE.factValue}">${value}</td></tr>`);
  return html`<table role="presentation" style="${STYLE.facts}">${cells}</table>`;
}

function itemsHtml(facts: EventFacts): SafeHtml {
  const linked = facts.solutions.length > 1;
  if (isSolutionList(facts.kind)) {
    const items = facts.solutions.map((section) => html`<li style="${STYLE.item}">${solutionHtml(section, linked)}</li>`);
    return html`<ul style="${STYLE.list}">${items}</ul>`;
  }
  if (!hasItems(facts.kind)) return html``;
  return html`${facts.solutions.map((section) => {
    const tests = section.tests.map((test) => {
      const message = test.message ? html`: ${test.message}` : '';
      return html`<li style="${STYLE.item}"><code style="${STYLE.code}">${test.id}</code> <span style="${STYLE.muted}">(${test.type})</span>${message}</li>`;
    });
    const changes = section.changes.map(
      (change) =>
        html`<li style="${STYLE.item}"><code style="${STYLE.code}">${change.key}</code>: ${change.before} → <strong>${change.after}</strong></li>`,
    );
    const empty = tests.length + changes.length === 0 ? html`<li style="${STYLE.item}">(no details recorded)</li>` : '';
    return html`<h2 style="${STYLE.section}">${solutionHtml(section, linked)}</h2><ul style="${STYLE.list}">${tests}${changes}${empty}</ul>`;
  })}`;
}

function renderHtml(facts: EventFacts): string {
  const body = html`<p style="${STYLE.kicker}">Vigil · ${facts.workspace.name}</p>
<h1 style="${STYLE.heading(EVENT_KIND_ACCENTS[facts.kind])}">${facts.headline}</h1>
${factsTable(facts)}
<p style="${STYLE.paragraph}">${facts.intro}</p>
${itemsHtml(facts)}
${button(facts.url, 'Open in Vigil')}
<p style="${STYLE.paragraph}"><a href="${facts.url}" style="${STYLE.link}">${facts.url}</a></p>
<p style="${STYLE.footer}">${facts.reportId ? html`Report ${facts.reportId}. ` : ''}You receive this email because of your notification settings in ${facts.workspace.name}. <a href="${facts.settingsUrl}" style="${STYLE.link}">Change them</a>.</p>`;
  return emailDocument({ title: facts.subject, preheader: `${facts.headline}. ${facts.intro}`, body });
}

export function renderEventEmail(input: EventEmailInput): RenderedEmail {
  const facts = eventFacts(input);
  return { subject: facts.subject, text: renderText(facts), html: renderHtml(facts) };
}

/**
 * The facts of one event for a SendGrid dynamic template: display-safe but not HTML-escaped, since
 * its Handlebars escapes `{{value}}`. A type alias, not an interface, so it is a plain JSON record.
 */
export type EventTemplateData = {
  kind: EventKind;
  kindLabel: string;
  subject: string;
  headline: string;
  intro: string;
  workspace: { id: string; name: string };
  host: { id: string; name: string; hostname: string | null; label: string };
  solutions: SolutionSection[];
  solutionNames: string;
  testCount: number;
  changeCount: number;
  lastSeenAt: string | null;
  missedIntervals: number | null;
  reportId: string | null;
  /** When it happened, and when Vigil processed it (they differ for a report backfilled after an outage). */
  occurredAt: string;
  occurredAtIso: string | null;
  createdAt: string;
  createdAtIso: string | null;
  processedLate: boolean;
  url: string;
  settingsUrl: string;
};

export function sendgridTemplateData(input: EventEmailInput): EventTemplateData {
  const facts = eventFacts(input);
  const times = eventTimes(input.event);
  const iso = (date: Date) => (Number.isNaN(date.getTime()) ? null : date.toISOString());
  return {
    kind: facts.kind,
    kindLabel: EVENT_KIND_HEADINGS[facts.kind],
    subject: facts.subject,
    headline: facts.headline,
    intro: facts.intro,
    workspace: facts.workspace,
    host: { id: facts.host.id, name: facts.host.name, hostname: facts.host.hostname, label: facts.host.label },
    solutions: facts.solutions,
    solutionNames: nameList(
      facts.solutions.map((section) => section.name),
      20,
    ),
    testCount: facts.solutions.reduce((count, section) => count + section.tests.length, 0),
    changeCount: facts.solutions.reduce((count, section) => count + section.changes.length, 0),
    lastSeenAt: facts.lastSeenAt,
    missedIntervals: facts.missedIntervals,
    reportId: facts.reportId,
    occurredAt: facts.occurredAt,
    occurredAtIso: iso(times.occurred),
    createdAt: facts.createdAt,
    createdAtIso: iso(times.processed),
    processedLate: facts.processedLate,
    url: facts.url,
    settingsUrl: facts.settingsUrl,
  };
}
