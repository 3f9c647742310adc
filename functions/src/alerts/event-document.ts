// The stored form of an event. Pure: the trigger supplies the clock value (a server timestamp).
import type { EventKind } from '@vigil/schema';

export interface EventSource {
  agentId: string;
  agentName: string;
  hostname: string | null;
  reportId: string | null;
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
    details: event.details,
    acknowledgedAt: null,
    acknowledgedBy: null,
    email: { state: 'pending', at: null, error: null },
  };
}
