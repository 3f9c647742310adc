// The fleet summary's arithmetic (workspaces/{ws}/summary/fleet, fleetSummarySchema): from the
// aggregation counts and the two short attention queries of one workspace (read-fleet.ts) to the
// document the overview reads, and whether it differs from the stored one. Pure.
//
// The numbers are the overview's of before the summary (web overviewCounts): `agents` counts every
// agent; a revoked one counts as revoked only, never by its status (it keeps the status it had);
// failing, tests and solutions count every agent, revoked ones too.
import { FLEET_ATTENTION_AGENTS, HISTORY_POINTS, type AgentStatus, type FleetSummary } from '@vigil/schema';

export type FleetCounts = FleetSummary['counts'];
export type HourPoint = FleetSummary['hours'][number];
export type AttentionAgent = FleetSummary['attention'][number];
/** The summary without its computedAt: what "changed" compares. */
export type FleetFigures = Omit<FleetSummary, 'computedAt'>;

/** What the aggregation queries of one workspace answered. */
export interface FleetAggregates {
  /** Every agent document. */
  agents: number;
  revoked: number;
  /** Online and offline among the agents not revoked. */
  online: number;
  offline: number;
  /** Agents with summary.testsFailed > 0. */
  failing: number;
  testsPassed: number;
  testsFailed: number;
  /** Per solution id: how many agents list it in summary.solutions. */
  agentsPerSolution: Readonly<Record<string, number>>;
}

/** A whole count from an aggregation (sum() of no documents or of odd values can be null or fractional). */
function whole(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function fleetCounts(aggregates: FleetAggregates): FleetCounts {
  const agents = whole(aggregates.agents);
  const revoked = whole(aggregates.revoked);
  const online = whole(aggregates.online);
  const offline = whole(aggregates.offline);
  const perSolution = Object.values(aggregates.agentsPerSolution).map(whole);
  return {
    agents,
    online,
    offline,
    // Any other status of an agent not revoked (never-seen, or one this code does not know) is
    // never-seen, as the overview counted it; the counts come from one snapshot, so this is >= 0.
    neverSeen: Math.max(0, agents - revoked - online - offline),
    revoked,
    failing: whole(aggregates.failing),
    solutionsInstalled: perSolution.reduce((sum, count) => sum + count, 0),
    solutionKinds: perSolution.filter((count) => count > 0).length,
    testsPassed: whole(aggregates.testsPassed),
    testsFailed: whole(aggregates.testsFailed),
  };
}

/** Most failing tests first, then by name, then id (the order the failing query asks for, made total). */
function byFailures(a: AttentionAgent, b: AttentionAgent): number {
  return b.testsFailed - a.testsFailed || a.name.localeCompare(b.name) || a.agentId.localeCompare(b.agentId);
}

/** Seen most recently first (the newest silence is the news), never seen last. */
function bySilence(a: AttentionAgent, b: AttentionAgent): number {
  return (b.lastSeenAt?.toMillis() ?? -Infinity) - (a.lastSeenAt?.toMillis() ?? -Infinity) || a.agentId.localeCompare(b.agentId);
}

/**
 * The agents needing attention: those with failing tests (most first), then offline ones not
 * already listed, at most `limit`. Each query fetched `limit` at most, which is enough: an offline
 * agent left out as already listed frees no slot it would need.
 */
export function attentionList(
  failing: readonly AttentionAgent[],
  offline: readonly AttentionAgent[],
  limit = FLEET_ATTENTION_AGENTS,
): AttentionAgent[] {
  const listed = [...failing]
    .filter((agent) => agent.testsFailed > 0)
    .sort(byFailures)
    .slice(0, limit);
  const ids = new Set(listed.map((agent) => agent.agentId));
  const silent = offline.filter((agent) => !ids.has(agent.agentId)).sort(bySilence);
  return [...listed, ...silent].slice(0, limit);
}

/**
 * The hourly chart with this recompute's point: it replaces the point of its own hour, or is
 * appended; a point equal to the one before it is left out (the dashboard carries the last value
 * forward through hours without one, so it would say nothing). Newest last, at most `max` points.
 */
export function withHourPoint(hours: readonly HourPoint[], point: HourPoint, max = HISTORY_POINTS): HourPoint[] {
  const earlier = hours.filter((existing) => existing.hour < point.hour);
  const previous = earlier.at(-1);
  const same = previous !== undefined && previous.passed === point.passed && previous.failed === point.failed;
  return (same ? earlier : [...earlier, point]).slice(-max);
}

function sameAttention(a: AttentionAgent, b: AttentionAgent): boolean {
  return (
    a.agentId === b.agentId &&
    a.name === b.name &&
    a.status === b.status &&
    a.testsFailed === b.testsFailed &&
    (a.lastSeenAt?.toMillis() ?? null) === (b.lastSeenAt?.toMillis() ?? null)
  );
}

/** Whether `next` says anything the stored summary does not (undefined: there is none, or it is unreadable). */
export function summaryChanged(stored: FleetFigures | undefined, next: FleetFigures): boolean {
  if (!stored) return true;
  const counts = Object.keys(next.counts) as (keyof FleetCounts)[];
  if (counts.some((key) => stored.counts[key] !== next.counts[key])) return true;
  if (stored.hours.length !== next.hours.length || stored.attention.length !== next.attention.length) return true;
  if (stored.hours.some((hour, index) => JSON.stringify(hour) !== JSON.stringify(next.hours[index]))) return true;
  return stored.attention.some((agent, index) => !sameAttention(agent, next.attention[index]!));
}

const STATUSES: readonly AgentStatus[] = ['online', 'offline', 'never-seen'];

/** An agent document's fields the attention list shows, tolerating a malformed document. */
export function attentionAgent(
  agentId: string,
  fields: { name: unknown; status: unknown; testsFailed: unknown; lastSeenAt: unknown },
): AttentionAgent {
  const lastSeenAt = fields.lastSeenAt as AttentionAgent['lastSeenAt'] | undefined;
  return {
    agentId,
    name: typeof fields.name === 'string' && fields.name !== '' ? fields.name : agentId,
    status: STATUSES.find((status) => status === fields.status) ?? 'never-seen',
    testsFailed: whole(typeof fields.testsFailed === 'number' ? fields.testsFailed : 0),
    lastSeenAt: typeof lastSeenAt?.toMillis === 'function' ? lastSeenAt : null,
  };
}
