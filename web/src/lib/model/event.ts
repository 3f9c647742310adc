// An event (workspaces/{ws}/events/{eventId}) as the feeds use it.
import type { ConfigChange, ConfigurationValue, EventDetails, EventKind } from '@vigil/schema';
import { isEventKind, splitLabelPair, type AgentLabels } from '@vigil/schema/constants';
import { asDate, asNullableString, asNumber, asRecord, asString, asStringArray, isRecord, type Fields } from './values';

export interface EventView {
  id: string;
  kind: EventKind;
  agentId: string;
  agentName: string;
  hostname: string | null;
  solutionIds: string[];
  /** The agent's labels when the event happened (the document's labelPairs); none on older events. */
  labels: AgentLabels;
  reportId: string | null;
  createdAt: Date | null;
  details: EventDetails;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

function asValue(value: unknown): ConfigurationValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : (item as string)));
  return value === undefined ? null : JSON.stringify(value);
}

function readDetails(value: unknown): EventDetails {
  const data = asRecord(value);
  const details: EventDetails = {};
  if (Array.isArray(data.tests)) {
    details.tests = data.tests.filter(isRecord).map((test) => ({
      solutionId: asString(test.solutionId),
      testId: asString(test.testId),
      type: asString(test.type),
      message: asString(test.message),
    }));
  }
  if (Array.isArray(data.changes)) {
    details.changes = data.changes.filter(isRecord).map((change): ConfigChange => ({
      solutionId: asString(change.solutionId),
      key: asString(change.key),
      before: asValue(change.before),
      after: asValue(change.after),
    }));
  }
  if (Array.isArray(data.solutions)) details.solutions = asStringArray(data.solutions);
  if ('lastSeenAt' in data) details.lastSeenAt = asNullableString(data.lastSeenAt);
  if (typeof data.missedIntervals === 'number') details.missedIntervals = asNumber(data.missedIntervals);
  return details;
}

/** The labels of `labelPairs` (`key=value` strings); anything else is skipped. Keys are data: built with Object.fromEntries. */
function readLabels(value: unknown): AgentLabels {
  return Object.fromEntries(
    asStringArray(value).flatMap((pair) => {
      const label = splitLabelPair(pair);
      return label ? [[label.key, label.value] as const] : [];
    }),
  );
}

/** Undefined for a document of an unknown kind (a newer backend): feeds skip it. */
export function eventFromDoc(id: string, data: Fields): EventView | undefined {
  if (!isEventKind(data.kind)) return undefined;
  return {
    id,
    kind: data.kind,
    agentId: asString(data.agentId),
    agentName: asString(data.agentName, asString(data.agentId, 'unknown agent')),
    hostname: asNullableString(data.hostname),
    solutionIds: asStringArray(data.solutionIds),
    labels: readLabels(data.labelPairs),
    reportId: asNullableString(data.reportId),
    createdAt: asDate(data.createdAt),
    details: readDetails(data.details),
    acknowledgedAt: asDate(data.acknowledgedAt),
    acknowledgedBy: asNullableString(data.acknowledgedBy),
  };
}
