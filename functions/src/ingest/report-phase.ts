// When an agent's next report is due (issue #13, cost at 1,000 hosts). Request-based Cloud Run bills
// an instance while at least one request is in flight, each busy stretch rounded up to 100 ms, so
// reports spread uniformly over the interval keep ingest's one instance billed about 1 − e^(−λ·0.1)
// of the time (28% at 1,000 hosts) while its CPU is busy 4%. A workspace's reports arriving together
// within a window of REPORT_WINDOW_SECONDS each interval share that billed time instead.
//
// The slot is a pure function of the ids and the interval, on the server's clock:
//   - the workspace's base phase: its id hashed over the whole interval, so the windows of different
//     workspaces fall at different moments and a project of many workspaces still arrives spread out;
//   - the agent's offset within its workspace's window: its id hashed over the window.
// The reply says how many seconds from now the slot is (never a time of day), so an agent whose clock
// is off still hits it: it counts the wait on its own clock from when the reply arrived.
import { createHash } from 'node:crypto';

/**
 * A workspace's live reports arrive within this many seconds of each interval. Sized for a workspace
 * at the default cap of 1,000 agents (MAX_AGENTS_PER_WORKSPACE): 50 reports a second in its window,
 * about 0.6 vCPU of one ingest instance at the ~12 ms a report measured (bench/README.md), while the
 * autoscaler, which averages CPU over a minute against its 60% target, keeps one instance. A
 * workspace whose operator raised its cap tenfold bursts tenfold (docs/architecture.md, "Cost model").
 */
export const REPORT_WINDOW_SECONDS = 20;

/** A number in [0, 1) from the text's SHA-256: uniform, and the same on every instance. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUIntBE(0, 6) / 2 ** 48;
}

/** The agent's slot: seconds into each interval, intervals counted from the Unix epoch on the server's clock. */
export function reportPhaseSeconds(workspaceId: string, agentId: string, intervalSeconds: number): number {
  const window = Math.min(REPORT_WINDOW_SECONDS, intervalSeconds);
  const base = unitHash(`workspace\u0000${workspaceId}`) * intervalSeconds;
  const offset = unitHash(`agent\u0000${workspaceId}\u0000${agentId}`) * window;
  return (base + offset) % intervalSeconds;
}

export interface SlotQuery {
  workspaceId: string;
  agentId: string;
  intervalSeconds: number;
  nowMs: number;
}

/**
 * Seconds from `nowMs` to the agent's next slot, at least half an interval and less than one and a
 * half: an agent on its slot waits one interval; one off it (a first report, a restart, a changed
 * interval) moves there in one step, never reporting within half an interval of this report nor
 * waiting so long that silence detection (3 intervals + 60 s, alerts/silence.ts) could notice.
 * Millisecond precision.
 */
export function nextReportInSeconds({ workspaceId, agentId, intervalSeconds, nowMs }: SlotQuery): number {
  const phase = reportPhaseSeconds(workspaceId, agentId, intervalSeconds);
  const intoInterval = (nowMs / 1000) % intervalSeconds;
  let wait = (((phase - intoInterval) % intervalSeconds) + intervalSeconds) % intervalSeconds;
  if (wait < intervalSeconds / 2) wait += intervalSeconds;
  return Math.round(wait * 1000) / 1000;
}
