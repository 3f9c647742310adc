// How an email shows an event's facts: the stored event as emails take it, its times, configuration
// values, solution names, the host and the dashboard page it links to. Every agent- or user-supplied
// string goes through the text safety of email-text-safety.ts. Pure; shared by the instant alert,
// the daily digest and the hour summary.
import { dashboardLinks, plural, solutionDisplayName, type ConfigurationValue, type EventDetails, type VigilEvent } from '@vigil/schema';
import { displayHostname, displayText } from './email-text-safety.js';

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
