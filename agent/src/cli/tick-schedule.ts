// When the daemon's next tick is due. Ticks are measured from their START: a collection that takes
// 100 s of a 300 s interval is followed by a wait of 200 s, so reports arrive every interval, as the
// ingest expects (it judges silence by the interval it announced; a schedule measured from the end
// of each tick would stretch it by every collection's duration and look late). An interval the
// ingest changes (in the reply to this tick, or to a retry while waiting) counts from the same start.
// Each tick draws its ±10 % jitter once (a fleet restarted together spreads out), so a changed
// interval keeps that tick's spread instead of drawing again.
const JITTER = 0.1;

export function jitteredMs(intervalSeconds: number, random: () => number): number {
  return Math.round(intervalSeconds * 1000 * (1 - JITTER + 2 * JITTER * random()));
}

export class TickSchedule {
  private startedAtMs = 0;
  private draw = 0.5;

  constructor(private readonly random: () => number) {}

  /** Call as a tick begins, before collecting. */
  started(nowMs: number): void {
    this.startedAtMs = nowMs;
    this.draw = this.random();
  }

  /** When the next tick is due under the interval in force now; in the past when this tick overran. */
  nextTickAtMs(intervalSeconds: number): number {
    return this.startedAtMs + jitteredMs(intervalSeconds, () => this.draw);
  }
}
