// How many agents the project has, for the report slots' lanes (report-phase.ts). One count()
// aggregation over every workspace's agents an instance an hour: Firestore bills it a read per
// 1,000 index entries (100 at 100,000 agents), so an instance pays at most that once an hour, and
// the figure it gives is at most an hour old, which the lanes (one per 1,000 agents) do not notice.
// The first report an instance serves waits for the count, so every reply names the slot the count
// gives; later refreshes run under the report that found the figure stale, as the first does. A
// failed count is logged and retried a minute later; until one succeeds the count is unknown
// (Infinity), which takes the most lanes.

/** How long a count stands before the next report recounts. */
export const FLEET_SIZE_REFRESH_MS = 60 * 60 * 1000;
/** After a failed count, how long before the next try. */
export const FLEET_SIZE_RETRY_MS = 60 * 1000;

export class FleetSize {
  private agents = Number.POSITIVE_INFINITY;
  private nextCountAt = Number.NEGATIVE_INFINITY;
  private counting: Promise<void> | undefined;

  constructor(
    private readonly count: () => Promise<number>,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The project's agents as last counted (Infinity before any count succeeded); recounts when the figure is due. */
  async current(): Promise<number> {
    if (this.now() >= this.nextCountAt) {
      // Reports arriving together share one count.
      this.counting ??= this.recount().finally(() => {
        this.counting = undefined;
      });
      await this.counting;
    }
    return this.agents;
  }

  private async recount(): Promise<void> {
    try {
      const agents = await this.count();
      if (!Number.isSafeInteger(agents) || agents < 0) throw new Error(`not a count: ${String(agents)}`);
      this.agents = agents;
      this.nextCountAt = this.now() + FLEET_SIZE_REFRESH_MS;
    } catch (error) {
      this.nextCountAt = this.now() + FLEET_SIZE_RETRY_MS;
      this.warn('counting the project’s agents failed: report slots keep the last count (or the most lanes)', {
        fault: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
