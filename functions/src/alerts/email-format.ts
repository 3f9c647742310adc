// Formatting shared by the instant alert and the daily digest: how agent-supplied text, values,
// times, hosts and links are shown, and the HTML shell every email uses. Pure.
import { dashboardLinks, plural, solutionDisplayName, type ConfigurationValue, type EventDetails, type VigilEvent } from '@vigil/schema';
import { html, type SafeHtml } from './html-template.js';

/** Longest value, message or name shown in an email; longer ones end in an ellipsis. */
export const MAX_VALUE_LENGTH = 300;
/** Subjects stay scannable in an inbox list. */
export const MAX_SUBJECT_LENGTH = 150;

export interface WorkspaceInfo {
  id: string;
  name: string;
}

export interface AgentInfo {
  id: string;
  name: string;
  hostname: string | null;
}

/**
 * The stored event as an email needs it, with its times already turned into Dates: `createdAt` is
 * when Vigil processed it, `occurredAt` when it happened (absent on events stored before it existed).
 */
export type EmailEvent = Pick<VigilEvent, 'kind' | 'details' | 'solutionIds' | 'reportId'> & { createdAt: Date; occurredAt?: Date | null };

/** A stored event and its agent as every email (instant or digest) takes them. */
export function emailFacts(event: VigilEvent): { agent: AgentInfo; event: EmailEvent } {
  return {
    agent: { id: event.agentId, name: event.agentName, hostname: event.hostname },
    event: {
      kind: event.kind,
      details: event.details,
      solutionIds: event.solutionIds,
      reportId: event.reportId,
      createdAt: new Date(event.createdAt.toMillis()),
      occurredAt: event.occurredAt ? new Date(event.occurredAt) : null,
    },
  };
}

/**
 * Processing later than this after the thing happened (a report backfilled after an outage) is worth
 * saying: the email then gives both times. Below it, the difference is just the pipeline's delay.
 */
export const LATE_PROCESSING_MS = 5 * 60_000;

export interface EventTimes {
  /** When it happened, or when it was processed for an event without occurredAt. */
  occurred: Date;
  processed: Date;
  /** Processed more than LATE_PROCESSING_MS after it happened. */
  late: boolean;
}

export function eventTimes(event: Pick<EmailEvent, 'createdAt' | 'occurredAt'>): EventTimes {
  const occurred = event.occurredAt && !Number.isNaN(event.occurredAt.getTime()) ? event.occurredAt : event.createdAt;
  return { occurred, processed: event.createdAt, late: event.createdAt.getTime() - occurred.getTime() > LATE_PROCESSING_MS };
}

/**
 * C0 and C1 controls (CR and LF included: header injection), Unicode line and paragraph separators,
 * and bidi embeddings, overrides and isolates (text that displays differently than it reads).
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Cuts to at most `max` characters (code points, so no emoji is split), the last being "…". */
export function truncate(value: string, max = MAX_VALUE_LENGTH): string {
  const characters = Array.from(value);
  if (characters.length <= max) return value;
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

const URL_WITH_SCHEME = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#]*)/gi;
const WWW_HOST = /\bwww\.[^\s/?#]*/gi;
const EMAIL_ADDRESS = /([^\s@<>()[\]]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;

const dotsAndAts = (value: string) => value.replace(/\./g, '[.]').replace(/@/g, '[@]');

/** A dotted name whose last label is letters, as a domain's top-level label is: `evil-corp.com`. */
const BARE_DOMAIN = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24})\b(?![\w-])/gi;
/**
 * Top-level domains that mail clients make links of and lures use. A dotted name ending otherwise
 * (`af-packet.threads`, `db-1.internal`: configuration keys and internal names) is a link only when
 * a path follows it (`evil.example/login`).
 */
const PUBLIC_TLDS = new Set(
  'com net org info biz io co ai app dev xyz top online site website store shop club live link click me us uk de fr nl ru cn jp br in au ca eu es it pl ch se no be at dk fi cz pt gr ro hu tk ml ga cf gq pw cc tv ws mobi pro name email support help services security cloud tech digital page'.split(
    ' ',
  ),
);
/**
 * Last labels that name a file's kind, not a domain: `clamd.conf` and `jail.local` are what Vigil
 * reports about and stay readable. A few are also country domains (`.sh`, `.py`): a lure there is
 * improbable, and a file name seen as a link is the lesser harm.
 */
const FILE_SUFFIXES = new Set(
  'conf cfg config local yaml yml json toml ini log txt rules service socket timer target mount pem crt key cert csr sh py mjs js ts d db sock pid lock bak old dpkg deb rpm gz tgz xz zip tar so dat list sources rules md'.split(
    ' ',
  ),
);

/**
 * Defangs what a mail client would turn into a link: "https://evil.example" becomes
 * "hxxps[://]evil[.]example", "www.evil.example" "www[.]evil[.]example", "a@evil.example"
 * "a[@]evil[.]example" (the convention security people read). An agent name like "URGENT: verify at
 * https://evil.example" then cannot be a clickable lure in our own sender's mail. Bare domain names
 * in free text are defanged too ("evil-corp[.]com"); versions and file names (`clamd.conf 1.4.2`)
 * stay as they are, and so does a host's own hostname (`displayHostname`): people read their
 * hosts' names in every alert, and only those who hold the agent's key can set it.
 */
export function defang(value: string): string {
  // Last, so the forms above are already "[.]" and no longer match: mail clients make links of
  // bare domains too ("verify at evil-corp.com/login").
  return defangLinks(value).replace(BARE_DOMAIN, (name: string, last: string, offset: number, whole: string) => {
    const label = last.toLowerCase();
    if (FILE_SUFFIXES.has(label)) return name;
    return PUBLIC_TLDS.has(label) || whole[offset + name.length] === '/' ? dotsAndAts(name) : name;
  });
}

/** URLs with a scheme, `www.` names and addresses only: for a hostname, shown as the host's own name. */
function defangLinks(value: string): string {
  return value
    .replace(URL_WITH_SCHEME, (_match, scheme: string, authority: string) => {
      const lower = scheme.toLowerCase();
      const shown = lower === 'http' || lower === 'https' ? lower.replace('http', 'hxxp') : lower;
      return `${shown}[://]${dotsAndAts(authority)}`;
    })
    .replace(WWW_HOST, dotsAndAts)
    .replace(EMAIL_ADDRESS, (_match, local: string, domain: string) => `${local}[@]${dotsAndAts(domain)}`);
}

/**
 * One line of display text from anything an agent or a user supplied: control characters and line
 * breaks become spaces (so a message cannot forge lines of our text part or headers), whitespace
 * collapses, links are defanged, and long text is truncated. HTML escaping happens later, in `html`.
 */
export function displayText(value: string, max = MAX_VALUE_LENGTH): string {
  return truncate(defang(oneLine(value)), max);
}

/** A hostname as display text: like `displayText`, but a bare domain name stays readable. */
export function displayHostname(value: string): string {
  return truncate(defangLinks(oneLine(value)), MAX_VALUE_LENGTH);
}

function oneLine(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/** A subject line: a single line whatever it contains, and short. */
export function subjectLine(value: string): string {
  return displayText(value, MAX_SUBJECT_LENGTH);
}

function formatScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (value === '') return '""';
  return String(value);
}

/** A configuration value as people read it: null is "(not set)", lists are joined. */
export function formatConfigValue(value: ConfigurationValue): string {
  if (value === null) return '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty list)' : displayText(value.map(formatScalar).join(', '));
  if (value === '') return '(empty)';
  return displayText(String(value));
}

/** "2026-11-27 10:05 UTC": emails go to people in every time zone, so one explicit zone. */
export function formatUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown time';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An ISO time from event details, formatted; anything unparsable is shown as given, made safe. */
export function formatIsoTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? displayText(value) : formatUtc(date);
}

export function solutionName(solutionId: string): string {
  return displayText(solutionDisplayName(solutionId));
}

/** "ClamAV, Fail2ban, Suricata +2 more". */
export function nameList(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} +${rest} more` : shown.join(', ');
}

export interface HostDisplay {
  name: string;
  hostname: string | null;
  /** "web-1 (web-1.example.com)", or the name alone when the hostname is unknown or the same. */
  label: string;
}

export function hostDisplay(agent: AgentInfo): HostDisplay {
  const name = displayText(agent.name) || agent.id;
  const hostname = agent.hostname === null ? null : displayHostname(agent.hostname) || null;
  return { name, hostname, label: hostname && hostname !== name ? `${name} (${hostname})` : name };
}

export function absoluteUrl(dashboardUrl: string, path: string): string {
  return `${dashboardUrl.replace(/\/+$/, '')}${path}`;
}

/** Every solution an event is about, in the event's order, then any only its details mention. */
export function eventSolutionIds(event: Pick<EmailEvent, 'solutionIds' | 'details'>): string[] {
  const { details } = event;
  const ids = [
    ...event.solutionIds,
    ...(details.solutions ?? []),
    ...(details.tests ?? []).map((test) => test.solutionId),
    ...(details.changes ?? []).map((change) => change.solutionId),
  ];
  return [...new Set(ids)];
}

/** The dashboard page an event's email points to. */
export function eventPath(workspaceId: string, agentId: string, event: Pick<EmailEvent, 'kind' | 'solutionIds' | 'details'>): string {
  if (event.kind === 'agent_offline' || event.kind === 'agent_online') {
    return dashboardLinks.events(workspaceId, { agent: agentId });
  }
  const solutionIds = eventSolutionIds(event);
  return solutionIds.length === 1 && solutionIds[0] !== undefined
    ? dashboardLinks.solution(workspaceId, agentId, solutionIds[0])
    : dashboardLinks.agent(workspaceId, agentId);
}

/** One failing or recovered test, made display-safe. */
export function testLine(test: NonNullable<EventDetails['tests']>[number]): { id: string; type: string; message: string } {
  return { id: displayText(test.testId), type: displayText(test.type), message: displayText(test.message) };
}

/** One changed setting, made display-safe, with its values as people read them. */
export function changeLine(change: NonNullable<EventDetails['changes']>[number]): { key: string; before: string; after: string } {
  return { key: displayText(change.key), before: formatConfigValue(change.before), after: formatConfigValue(change.after) };
}

export function offlineSentence(details: EventDetails): string {
  const since = details.lastSeenAt ? ` since ${formatIsoTime(details.lastSeenAt)}` : '';
  const missed =
    typeof details.missedIntervals === 'number' && Number.isFinite(details.missedIntervals)
      ? ` (${plural(Math.max(0, Math.floor(details.missedIntervals)), 'reporting interval')} missed)`
      : '';
  return `Vigil has not heard from this host${since}${missed}.`;
}

// Inline styles only (mail clients drop <style>), no background colours except the button's, so
// the text takes the reader's light or dark theme.
export const STYLE = {
  body: 'margin:0;padding:0;',
  container:
    'max-width:640px;margin:0 auto;padding:24px 16px;font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;',
  kicker: 'margin:0 0 4px;font-size:12px;letter-spacing:0.05em;text-transform:uppercase;color:#7a7a7a;',
  heading: (accent: string) => `margin:0 0 16px;padding-left:12px;border-left:4px solid ${accent};font-size:20px;line-height:1.3;`,
  facts: 'margin:0 0 16px;padding:0;border-collapse:collapse;',
  factLabel: 'padding:2px 16px 2px 0;color:#7a7a7a;vertical-align:top;white-space:nowrap;',
  factValue: 'padding:2px 0;vertical-align:top;',
  section: 'margin:20px 0 6px;font-size:16px;line-height:1.3;',
  muted: 'color:#7a7a7a;font-weight:normal;',
  list: 'margin:0 0 8px;padding-left:20px;',
  item: 'margin:0 0 6px;',
  code: 'font-family:SFMono-Regular,Consolas,Menlo,monospace;font-size:13px;',
  paragraph: 'margin:0 0 12px;',
  buttonParagraph: 'margin:20px 0 12px;',
  button: 'display:inline-block;padding:10px 18px;border-radius:6px;background-color:#1a73e8;color:#ffffff;text-decoration:none;font-weight:600;',
  link: 'color:#1a73e8;',
  footer: 'margin:24px 0 0;padding-top:12px;border-top:1px solid #888888;font-size:12px;color:#7a7a7a;',
} as const;

/** " (web-1.example.com)" after a host's name, or nothing when it would repeat the name. */
export function hostnameHtml(host: HostDisplay): SafeHtml | '' {
  return host.hostname && host.hostname !== host.name ? html` <span style="${STYLE.muted}">(${host.hostname})</span>` : '';
}

export function button(url: string, label: string): SafeHtml {
  return html`<p style="${STYLE.buttonParagraph}"><a href="${url}" style="${STYLE.button}">${label}</a></p>`;
}

/** The whole HTML document around an email's content. */
export function emailDocument({ title, preheader, body }: { title: string; preheader: string; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${title}</title>
</head>
<body style="${STYLE.body}">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${preheader}</div>
<div style="${STYLE.container}">
${body}
</div>
</body>
</html>
`.toString();
}
