// The fleet summary (workspaces/{ws}/summary/fleet, fleetSummarySchema), written by the
// summarizeFleets schedule, as the overview uses it. Read tolerantly: a missing or odd field reads
// as zero or is dropped, never a crash.
import type { AgentStatus } from '@vigil/schema';
import type { HourBucket } from './agent';
import { asDate, asNumber, asRecord, asString, isRecord } from './values';

export interface FleetCounts {
  agents: number;
  online: number;
  offline: number;
  neverSeen: number;
  revoked: number;
  /** Agents with at least one failing test. */
  failing: number;
  /** Solutions found across agents, each agent counted (two hosts with ClamAV: 2). */
  solutionsInstalled: number;
  /** Different solutions across the fleet. */
  solutionKinds: number;
  testsPassed: number;
  testsFailed: number;
}

/** An agent the summary lists as needing attention (failing tests, or offline); never a revoked one. */
export interface AttentionAgentView {
  id: string;
  name: string;
  status: AgentStatus;
  testsFailed: number;
  lastSeenAt: Date | null;
}

export interface FleetSummaryView {
  /** When the schedule computed it; null when the stored value is unreadable. */
  computedAt: Date | null;
  counts: FleetCounts;
  /** Tests passing and failing across the fleet, one point per hour in which they changed, oldest first. */
  hours: HourBucket[];
  attention: AttentionAgentView[];
}

const STATUSES: readonly AgentStatus[] = ['online', 'offline', 'never-seen'];
/** A count as a whole number >= 0 (anything else reads as 0). */
const count = (value: unknown): number => Math.max(0, Math.floor(asNumber(value)));

function readCounts(value: unknown): FleetCounts {
  const counts = asRecord(value);
  return {
    agents: count(counts.agents),
    online: count(counts.online),
    offline: count(counts.offline),
    neverSeen: count(counts.neverSeen),
    revoked: count(counts.revoked),
    failing: count(counts.failing),
    solutionsInstalled: count(counts.solutionsInstalled),
    solutionKinds: count(counts.solutionKinds),
    testsPassed: count(counts.testsPassed),
    testsFailed: count(counts.testsFailed),
  };
}

function readHours(value: unknown): HourBucket[] {
  if (!Array.isArray(value)) return [];
  const hours = value.flatMap((item) => {
    if (!isRecord(item) || typeof item.hour !== 'string' || Number.isNaN(Date.parse(item.hour))) return [];
    return [{ hour: item.hour, passed: count(item.passed), failed: count(item.failed) }];
  });
  return hours.sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour));
}

function readAttention(value: unknown): AttentionAgentView[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (!isRecord(item) || typeof item.agentId !== 'string' || item.agentId === '') return [];
    return [
      {
        id: item.agentId,
        name: asString(item.name) || item.agentId,
        status: STATUSES.find((status) => status === item.status) ?? 'never-seen',
        testsFailed: count(item.testsFailed),
        lastSeenAt: asDate(item.lastSeenAt),
      },
    ];
  });
}

export function fleetSummaryFromDoc(data: Record<string, unknown>): FleetSummaryView {
  return {
    computedAt: asDate(data.computedAt),
    counts: readCounts(data.counts),
    hours: readHours(data.hours),
    attention: readAttention(data.attention),
  };
}
