// Every event Vigil stores is made here: its document (workspaces/{ws}/events/{eventId}, the shape
// of eventSchema) and its id. Pure: the caller supplies the clock value (a server timestamp).
//
// Ids are deterministic, so a retried write finds the event it already made instead of making a
// second one (a redelivered report trigger, a retried report, a retried silence check). They are a
// stable interface: stored events and tests rely on them, so an existing format never changes.
// Two formats, by what raised the event:
//   - an event raised by a report, `${agentId}_${reportId}_${kind}`: the kinds derive-events.ts
//     finds (one event per report and kind), and agent_online (raised by the report that brought
//     the agent back, whichever it was);
//   - agent_offline, raised by no report, `${agentId}_offline_${lastSeenMs}`: it names the silence
//     (the agent and when it was last heard from, in milliseconds since the epoch).
import type { EventDetails, EventKind, VigilEvent } from '@vigil/schema';
import type { DerivedEvent } from '../alerts/derive-events.js';

/** An event document as written: createdAt is whatever the caller passes (a server timestamp); expireAt a Date. */
export type EventDocument<T> = Omit<VigilEvent, 'createdAt' | 'expireAt'> & { createdAt: T; expireAt?: Date };

export interface MadeEvent<T> {
  id: string;
  document: EventDocument<T>;
}

/** The agent an event is about, as it is named in the event. */
export interface EventAgent {
  agentId: string;
  agentName: string;
  hostname: string | null;
  /**
   * The agent's labels when the event happened, as `key=value` pairs (`labelPairs` in
   * @vigil/schema): the event keeps them, so a relabel later does not move old events.
   */
  labelPairs: readonly string[];
  /** When retention deletes the event (its TTL field, alerts/retention.ts `expiresAt`); none: kept until a sweep by age. */
  expireAt?: Date;
}

export function derivedEventId(agentId: string, reportId: string, kind: DerivedEvent['kind']): string {
  return reportEventId(agentId, reportId, kind);
}

export function agentOnlineEventId(agentId: string, reportId: string): string {
  return reportEventId(agentId, reportId, 'agent_online');
}

export function agentOfflineEventId(agentId: string, lastSeenMs: number): string {
  return `${agentId}_offline_${lastSeenMs}`;
}

function reportEventId(agentId: string, reportId: string, kind: EventKind): string {
  return `${agentId}_${reportId}_${kind}`;
}

/**
 * `occurredAt` is when the thing happened (ISO 8601), as opposed to `createdAt`, when Vigil
 * processed it; emails and the dashboard show both when they differ.
 */
function eventDocument<T>(
  agent: EventAgent,
  event: { kind: EventKind; solutionIds: string[]; details: EventDetails; reportId: string | null; occurredAt: string },
  now: T,
): EventDocument<T> {
  return {
    kind: event.kind,
    agentId: agent.agentId,
    agentName: agent.agentName,
    hostname: agent.hostname,
    solutionIds: event.solutionIds,
    labelPairs: [...agent.labelPairs],
    reportId: event.reportId,
    createdAt: now,
    occurredAt: event.occurredAt,
    details: event.details,
    acknowledgedAt: null,
    acknowledgedBy: null,
    email: { state: 'pending', at: null, error: null },
    ...(agent.expireAt ? { expireAt: agent.expireAt } : {}),
  };
}

/**
 * A kind derive-events.ts found in a report: it happened when the report was collected (clamped
 * by ingest to the receipt time when more than the allowed skew ahead).
 */
export function derivedEvent<T>(source: EventAgent & { reportId: string; collectedAt: string }, event: DerivedEvent, now: T): MadeEvent<T> {
  return {
    id: derivedEventId(source.agentId, source.reportId, event.kind),
    document: eventDocument(
      source,
      { kind: event.kind, solutionIds: event.solutionIds, details: event.details, reportId: source.reportId, occurredAt: source.collectedAt },
      now,
    ),
  };
}

/**
 * agent_online: an offline agent was heard again. It happened at the receipt time of the report
 * that brought it back, not when that report was collected: after an outage the newest spooled
 * report is older than the reconnection.
 */
export function agentOnlineEvent<T>(
  source: EventAgent & { reportId: string; receivedAtMs: number; lastSeenAt: string | null },
  now: T,
): MadeEvent<T> {
  return {
    id: agentOnlineEventId(source.agentId, source.reportId),
    document: eventDocument(
      source,
      {
        kind: 'agent_online',
        solutionIds: [],
        details: { lastSeenAt: source.lastSeenAt },
        reportId: source.reportId,
        occurredAt: new Date(source.receivedAtMs).toISOString(),
      },
      now,
    ),
  };
}

/**
 * agent_offline: an agent stayed silent too long (silence.ts). It happened when the agent became
 * overdue, not when the detector noticed (up to one schedule period later); no report raised it.
 */
export function agentOfflineEvent<T>(
  source: EventAgent & { lastSeenMs: number; overdueAtMs: number; missedIntervals: number },
  now: T,
): MadeEvent<T> {
  return {
    id: agentOfflineEventId(source.agentId, source.lastSeenMs),
    document: eventDocument(
      source,
      {
        kind: 'agent_offline',
        solutionIds: [],
        details: { lastSeenAt: new Date(source.lastSeenMs).toISOString(), missedIntervals: source.missedIntervals },
        reportId: null,
        occurredAt: new Date(source.overdueAtMs).toISOString(),
      },
      now,
    ),
  };
}
