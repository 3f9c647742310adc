// When is an agent silent? Pure, so the boundary is tested: more than 3 of its intervals, plus a
// small absolute grace, without a report. Agents that never reported are `never-seen`, and revoked
// agents are refused by ingest on purpose: neither is ever called silent.
//
// Which interval: the one the agent was last TOLD (the ingest reply's, stored as
// `announcedIntervalSeconds`) until it reports once more and hears the workspace's current one.
// Lowering the workspace's interval from 300 s to 60 s must not make every host that still waits
// its 300 s look like it missed 3 reports; raising it waits for the larger one too. So: the larger
// of the two.
export const MISSED_INTERVALS_BEFORE_OFFLINE = 3;
/** Absolute slack on top of the missed intervals: a late tick or a slow network is not an outage. */
export const OFFLINE_GRACE_SECONDS = 60;
/** Used when an agent document carries no usable interval at all (older documents, bad data). */
const FALLBACK_INTERVAL_SECONDS = 300;

export interface SilenceFacts {
  lastSeenAtMs: number | null;
  /** What the workspace wants now (copied to the agent by onWorkspaceWritten). */
  intervalSeconds: unknown;
  /** What the last ingest reply told the agent; absent on agents that have not reported since it existed. */
  announcedIntervalSeconds?: unknown;
}

function usableInterval(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The interval silence is judged by, in seconds. */
export function judgedIntervalSeconds(agent: Pick<SilenceFacts, 'intervalSeconds' | 'announcedIntervalSeconds'>): number {
  const current = usableInterval(agent.intervalSeconds);
  const told = usableInterval(agent.announcedIntervalSeconds) ?? current;
  if (current === undefined && told === undefined) return FALLBACK_INTERVAL_SECONDS;
  return Math.max(current ?? 0, told ?? 0);
}

export function missedIntervals(lastSeenAtMs: number, intervalSeconds: number, nowMs: number): number {
  return Math.max(0, (nowMs - lastSeenAtMs) / (Math.max(1, intervalSeconds) * 1000));
}

/** The moment an agent last seen at `lastSeenAtMs` becomes overdue (the agent_offline event's occurredAt). */
export function silentAfterMs(agent: SilenceFacts & { lastSeenAtMs: number }): number {
  return agent.lastSeenAtMs + (MISSED_INTERVALS_BEFORE_OFFLINE * judgedIntervalSeconds(agent) + OFFLINE_GRACE_SECONDS) * 1000;
}

export function isSilent(agent: SilenceFacts & { status: unknown; revoked: boolean }, nowMs: number): boolean {
  if (agent.status !== 'online' || agent.revoked || agent.lastSeenAtMs === null) return false;
  return nowMs > silentAfterMs({ ...agent, lastSeenAtMs: agent.lastSeenAtMs });
}

/**
 * The silence deadline ingest stores on the agent (`offlineAt`) for a report received at
 * `receivedAtMs`: the same moment `silentAfterMs` computes, so the offline detector can query
 * `offlineAt <= now` instead of reading every online agent. `agent` holds the interval the reply
 * announces and the workspace's current one.
 */
export function silenceDeadlineMs(receivedAtMs: number, agent: Pick<SilenceFacts, 'intervalSeconds' | 'announcedIntervalSeconds'>): number {
  return silentAfterMs({ ...agent, lastSeenAtMs: receivedAtMs });
}

/** The facts the deadline decisions need: silence.ts's own, and the deadline stored on the agent. */
export interface DeadlineFacts extends SilenceFacts {
  status: unknown;
  revoked: boolean;
  /** The agent's `offlineAt` in ms; null when none is set (or the field predates it). */
  offlineAtMs: number | null;
}

/**
 * The deadline an agent document should carry (`offlineAt`), from what it holds: the moment
 * silence.ts would call it silent while it is online, not revoked and seen; none otherwise (nobody
 * is watching for its silence). Used where no report sets it: the backfill of older documents.
 */
export function deadlineOf(agent: Omit<DeadlineFacts, 'offlineAtMs'>): number | null {
  if (agent.status !== 'online' || agent.revoked || agent.lastSeenAtMs === null) return null;
  return silentAfterMs({ ...agent, lastSeenAtMs: agent.lastSeenAtMs });
}

/** What the offline detector does with an agent its `offlineAt <= now` query found, as it re-reads it. */
export type DueDeadlineOutcome =
  /** Its deadline moved past now or was cleared meanwhile (it reported, was revoked, went offline): nothing. */
  | { action: 'not-due' }
  /** Silent (isSilent): status offline, offlineAt null, and its agent_offline event. */
  | { action: 'offline'; overdueAtMs: number }
  /** Not watched (revoked, never seen, not online): offlineAt null, so the query never finds it again. */
  | { action: 'clear' }
  /** Online but not silent yet, because its judged interval grew since the deadline was set: the later deadline. */
  | { action: 'reschedule'; offlineAtMs: number };

/**
 * isSilent stays the judge: the stored deadline only decides which agents are looked at. A deadline
 * that is due but that silence.ts does not confirm never makes an agent offline.
 */
export function dueDeadlineOutcome(agent: DeadlineFacts, nowMs: number): DueDeadlineOutcome {
  if (agent.offlineAtMs === null || agent.offlineAtMs > nowMs) return { action: 'not-due' };
  const deadline = deadlineOf(agent);
  if (deadline === null) return { action: 'clear' };
  if (isSilent(agent, nowMs)) return { action: 'offline', overdueAtMs: deadline };
  return { action: 'reschedule', offlineAtMs: deadline };
}

/**
 * Lifting a revocation (rotateAgentKey on a revoked agent). Its silence while revoked is what
 * revoking asked for, so it is never alerted: an agent that would be overdue by now goes offline
 * quietly (no agent_offline; the dashboard then tells the truth, and its next report is an
 * agent_online like any offline agent's). One that is not overdue yet keeps the deadline it would
 * have had, so a host that never reports again is still called offline, as after any rotation.
 */
export function afterRevocationLifted(
  agent: Omit<DeadlineFacts, 'offlineAtMs' | 'revoked'>,
  nowMs: number,
): { goesOffline: boolean; offlineAtMs: number | null } {
  const deadline = deadlineOf({ ...agent, revoked: false });
  if (deadline === null) return { goesOffline: false, offlineAtMs: null };
  if (isSilent({ ...agent, revoked: false }, nowMs)) return { goesOffline: true, offlineAtMs: null };
  return { goesOffline: false, offlineAtMs: deadline };
}
