// When an agent's next report is due (issue #13, cost at 1,000 hosts). Request-based Cloud Run bills
// an instance while at least one request is in flight, each busy stretch rounded up to 100 ms, so
// reports spread uniformly over the interval keep ingest's one instance billed about 1 − e^(−λ·0.1)
// of the time (28% at 1,000 hosts) while its CPU is busy 4%. Reports arriving together within a
// window of REPORT_WINDOW_SECONDS each interval share that billed time instead.
//
// The slot is a pure function of the ids, the interval and the project's agent count, on the
// server's clock:
//   - the interval holds `laneCount` lanes, one per LANE_AGENTS agents of the project (at least one,
//     at most as many windows as fit in the interval), evenly spaced;
//   - the workspace's lane: its id hashed over the lanes, so a project of small workspaces still
//     arrives together (1,000 hosts in workspaces of 10 share one window), and a large project's
//     workspaces spread over the interval;
//   - the agent's offset within the window: its id hashed over the window.
// The reply says how many seconds from now the slot is (never a time of day), so an agent whose clock
// is off still hits it: it counts the wait on its own clock from when the reply arrived. The count
// comes from fleet-size.ts (one count() an instance an hour). When it crosses a lane boundary most
// workspaces change lanes; while instances disagree (their counts, up to an hour apart, either side
// of the boundary) an agent whose reports reach both may alternate between two slots, each wait
// still between half and one and a half intervals, far from silence detection's three.
import { createHash } from 'node:crypto';

/**
 * A lane's live reports arrive within this many seconds of each interval. Sized for LANE_AGENTS
 * (the default workspace cap, MAX_AGENTS_PER_WORKSPACE): 50 reports a second in the window, about
 * 0.6 vCPU of one ingest instance at the ~12 ms a report measured (bench/README.md), while the
 * autoscaler, which averages CPU over a minute against its 60% target, keeps one instance. A
 * workspace whose operator raised its cap tenfold bursts tenfold (docs/architecture.md, "Cost model").
 */
export const REPORT_WINDOW_SECONDS = 20;

/**
 * Agents of the project a lane carries: one window of REPORT_WINDOW_SECONDS then holds 50 reports a
 * second, the burst the window is sized for.
 */
export const LANE_AGENTS = 1000;

/** A number in [0, 1) from the text's SHA-256: uniform, and the same on every instance. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Lanes in an interval for a project of `projectAgents` agents: one per LANE_AGENTS, at least one,
 * at most the windows that fit in the interval. An unknown count (not a finite number, as when the
 * count failed) takes the most lanes: spreading costs a little billed time, crowding could overload.
 */
export function laneCount(projectAgents: number, intervalSeconds: number): number {
  const most = Math.max(1, Math.floor(intervalSeconds / REPORT_WINDOW_SECONDS));
  if (!Number.isFinite(projectAgents)) return most;
  return Math.min(most, Math.max(1, Math.ceil(projectAgents / LANE_AGENTS)));
}

/** The agent's slot: seconds into each interval, intervals counted from the Unix epoch on the server's clock. */
export function reportPhaseSeconds(workspaceId: string, agentId: string, intervalSeconds: number, projectAgents: number): number {
  const window = Math.min(REPORT_WINDOW_SECONDS, intervalSeconds);
  const lanes = laneCount(projectAgents, intervalSeconds);
  const base = Math.floor(unitHash(`workspace\u0000${workspaceId}`) * lanes) * (intervalSeconds / lanes);
  const offset = unitHash(`agent\u0000${workspaceId}\u0000${agentId}`) * window;
  return (base + offset) % intervalSeconds;
}

export interface SlotQuery {
  workspaceId: string;
  agentId: string;
  intervalSeconds: number;
  /** The project's agents (fleet-size.ts), for the lanes. */
  projectAgents: number;
  nowMs: number;
}

/**
 * Seconds from `nowMs` to the agent's next slot, at least half an interval and less than one and a
 * half: an agent on its slot waits one interval; one off it (a first report, a restart, a changed
 * interval) moves there in one step, never reporting within half an interval of this report nor
 * waiting so long that silence detection (3 intervals + 60 s, alerts/silence.ts) could notice.
 * Millisecond precision.
 */
export function nextReportInSeconds({ workspaceId, agentId, intervalSeconds, projectAgents, nowMs }: SlotQuery): number {
  const phase = reportPhaseSeconds(workspaceId, agentId, intervalSeconds, projectAgents);
  const intoInterval = (nowMs / 1000) % intervalSeconds;
  let wait = (((phase - intoInterval) % intervalSeconds) + intervalSeconds) % intervalSeconds;
  if (wait < intervalSeconds / 2) wait += intervalSeconds;
  return Math.round(wait * 1000) / 1000;
}
