// The stored form of an event. Pure: the trigger supplies the clock value (a server timestamp).
import type { EventKind } from '@vigil/schema';

export interface EventSource {
  agentId: string;
  agentName: string;
  hostname: string | null;
  reportId: string | null;
  /**
   * When the thing happened (ISO 8601), as opposed to `createdAt`, when Vigil processed it: the
   * report's collection time (clamped by ingest to the receipt time when more than the allowed
   * skew ahead), for agent_online the receipt time of the report that brought the agent back, for
   * agent_offline the moment the agent became overdue. Emails and the dashboard show both when
   * they differ.
   */
  occurredAt: string;
}

export function eventDocument<T>(
  source: EventSource,
  event: { kind: EventKind; solutionIds: string[]; details: Record<string, unknown> },
  now: T,
) {
  return {
    kind: event.kind,
    agentId: source.agentId,
    agentName: source.agentName,
    hostname: source.hostname,
    solutionIds: event.solutionIds,
    reportId: source.reportId,
    createdAt: now,
    occurredAt: source.occurredAt,
    details: event.details,
    acknowledgedAt: null,
    acknowledgedBy: null,
    email: { state: 'pending', at: null, error: null },
  };
}
