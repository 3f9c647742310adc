// When is an agent silent? Pure, so the boundary is tested: more than 3 of its intervals without a
// report. Agents that never reported are `never-seen` and are never called silent.
export const MISSED_INTERVALS_BEFORE_OFFLINE = 3;

export function missedIntervals(lastSeenAtMs: number, intervalSeconds: number, nowMs: number): number {
  return Math.max(0, (nowMs - lastSeenAtMs) / (Math.max(1, intervalSeconds) * 1000));
}

export function isSilent(agent: { status: unknown; lastSeenAtMs: number | null; intervalSeconds: unknown }, nowMs: number): boolean {
  if (agent.status !== 'online' || agent.lastSeenAtMs === null) return false;
  const interval = typeof agent.intervalSeconds === 'number' && agent.intervalSeconds > 0 ? agent.intervalSeconds : 300;
  return missedIntervals(agent.lastSeenAtMs, interval, nowMs) > MISSED_INTERVALS_BEFORE_OFFLINE;
}
