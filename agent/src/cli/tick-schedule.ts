// When the daemon's next tick is due. Ticks are measured from their START: a collection that takes
// 100 s of a 300 s interval is followed by a wait of 200 s, so reports arrive every interval, as the
// ingest expects (it judges silence by the interval it announced; a schedule measured from the end
// of each tick would stretch it by every collection's duration and look late). An interval the
// ingest changes (in the reply to this tick, or to a retry while waiting) counts from the same start.
//
// Report slots (#13): the ingest's reply names `nextReportInSeconds`, the wait from that reply to
// the agent's slot (functions/src/ingest/report-phase.ts: the reports of up to 1,000 of the
// project's agents arrive together within a short window each interval, so they share one
// instance's billed time). The next tick
// starts that long after this one STARTED: this tick's collection and send took as long from its
// start to the reply as the next one will take to reach the ingest, so its report arrives on the
// slot. The wait is counted on this host's clock from the reply, so a host whose clock is off still
// hits it. Held to half an interval to one and a half of the interval it was given for; without one
// (an older ingest, a failed send, an interval changed since), the interval applies.
//
// Each tick draws its ±10 % jitter once (a fleet restarted together spreads out), so a changed
// interval keeps that tick's spread instead of drawing again.
const JITTER = 0.1;

export function jitteredMs(intervalSeconds: number, random: () => number): number {
  return Math.round(intervalSeconds * 1000 * (1 - JITTER + 2 * JITTER * random()));
}

/** The slot's wait, within half an interval and one and a half (what the ingest sends; a bad value is held to it). */
export function slotWaitMs(nextReportInSeconds: number, intervalSeconds: number): number {
  const ms = intervalSeconds * 1000;
  return Math.round(Math.min(1.5 * ms, Math.max(0.5 * ms, nextReportInSeconds * 1000)));
}

export class TickSchedule {
  private startedAtMs = 0;
  private draw = 0.5;
  private slot: { waitSeconds: number; intervalSeconds: number } | undefined;

  constructor(private readonly random: () => number) {}

  /** Call as a tick begins, before collecting. */
  started(nowMs: number): void {
    this.startedAtMs = nowMs;
    this.draw = this.random();
    this.slot = undefined;
  }

  /** Call with the reply to this tick's report: its `nextReportInSeconds` (undefined when none came) and the interval it announced. */
  slotted(nextReportInSeconds: number | undefined, intervalSeconds: number): void {
    this.slot = nextReportInSeconds === undefined ? undefined : { waitSeconds: nextReportInSeconds, intervalSeconds };
  }

  /** When the next tick is due under the interval in force now; in the past when this tick overran. */
  nextTickAtMs(intervalSeconds: number): number {
    if (this.slot && this.slot.intervalSeconds === intervalSeconds) return this.startedAtMs + slotWaitMs(this.slot.waitSeconds, intervalSeconds);
    return this.startedAtMs + jitteredMs(intervalSeconds, () => this.draw);
  }
}
