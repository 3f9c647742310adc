// The overview's figures, computed from the agent documents it already has. Pure.
import type { AgentView, HourBucket } from '../model/agent';

export interface OverviewCounts {
  agents: number;
  online: number;
  offline: number;
  neverSeen: number;
  revoked: number;
  /** Solutions found across agents, each agent counted (two hosts with ClamAV: 2). */
  solutionsInstalled: number;
  /** Different solutions across the fleet. */
  solutionKinds: number;
  testsPassed: number;
  testsTotal: number;
  agentsFailing: number;
}

export function overviewCounts(agents: readonly AgentView[]): OverviewCounts {
  const kinds = new Set<string>();
  const counts: OverviewCounts = {
    agents: agents.length,
    online: 0,
    offline: 0,
    neverSeen: 0,
    revoked: 0,
    solutionsInstalled: 0,
    solutionKinds: 0,
    testsPassed: 0,
    testsTotal: 0,
    agentsFailing: 0,
  };
  for (const agent of agents) {
    // A revoked agent keeps the status it had (the offline detector skips it on purpose), so it
    // counts as revoked only, never as online.
    if (agent.revokedAt) counts.revoked += 1;
    else if (agent.status === 'online') counts.online += 1;
    else if (agent.status === 'offline') counts.offline += 1;
    else counts.neverSeen += 1;
    counts.solutionsInstalled += agent.solutions.length;
    for (const solution of agent.solutions) kinds.add(solution);
    counts.testsPassed += agent.testsPassed;
    counts.testsTotal += agent.testsPassed + agent.testsFailed;
    if (agent.testsFailed > 0) counts.agentsFailing += 1;
  }
  counts.solutionKinds = kinds.size;
  return counts;
}

/**
 * Tests passing and failing per hour across the fleet: each agent's hourly bucket (its latest report
 * of that hour) summed, for the last `hours` hours up to `now`. Hours nobody reported in are left out
 * rather than drawn as zero, which would read as every test failing.
 */
export function fleetTestsHistory(agents: readonly AgentView[], now: Date, hours = 48): HourBucket[] {
  const oldest = now.getTime() - hours * 3600_000;
  const sums = new Map<string, HourBucket>();
  for (const agent of agents) {
    for (const bucket of agent.testsHistory) {
      const time = Date.parse(bucket.hour);
      if (Number.isNaN(time) || time < oldest - 3600_000 || time > now.getTime()) continue;
      const sum = sums.get(bucket.hour) ?? { hour: bucket.hour, passed: 0, failed: 0 };
      sum.passed += bucket.passed;
      sum.failed += bucket.failed;
      sums.set(bucket.hour, sum);
    }
  }
  return [...sums.values()].sort((a, b) => a.hour.localeCompare(b.hour));
}

/** Agents with failing tests, most failures first. */
export function agentsNeedingAttention(agents: readonly AgentView[], count: number): AgentView[] {
  return agents
    .filter((agent) => agent.testsFailed > 0)
    .sort((a, b) => b.testsFailed - a.testsFailed || a.name.localeCompare(b.name))
    .slice(0, count);
}
