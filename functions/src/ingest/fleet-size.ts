// How many agents the project has, for the report slots' lanes (report-phase.ts). One count()
// aggregation over every workspace's agents an instance an hour: Firestore bills it a read per
// 1,000 index entries (100 at 100,000 agents), and the figure, at most an hour old, is close
// enough for lanes of 1,000 agents. It counts every document of an `agents` collection, revoked
// agents' included: an overstatement, on the safe side (more lanes).
//
// An instance's first count is waited for, at most FIRST_COUNT_WAIT_MS, so its first replies name
// the slot the count gives; later recounts run in the background while reports keep the figure
// they have, so no report waits for them. A failed count is logged and retried a minute later.
// Until one succeeds (or while the first is slower than the wait) the count is unknown, Infinity,
// which takes the most lanes.

/** How long a count stands before a report starts the next. */
export const FLEET_SIZE_REFRESH_MS = 60 * 60 * 1000;
/** After a failed count, how long before the next try. */
export const FLEET_SIZE_RETRY_MS = 60 * 1000;
/** The longest a report waits for the instance's first count. */
export const FIRST_COUNT_WAIT_MS = 2000;

export class FleetSize {
  private agents = Number.POSITIVE_INFINITY;
  private counted = false;
  private nextCountAt = Number.NEGATIVE_INFINITY;
  private counting: Promise<void> | undefined;

  constructor(
    private readonly count: () => Promise<number>,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The project's agents as last counted (Infinity before any count succeeded); starts a recount when one is due. */
  async current(): Promise<number> {
    if (this.counting === undefined && this.now() >= this.nextCountAt) {
      // Reports arriving together share one count.
      this.counting = this.recount().finally(() => {
        this.counting = undefined;
      });
    }
    if (!this.counted && this.counting !== undefined) await waitAtMost(this.counting, FIRST_COUNT_WAIT_MS);
    return this.agents;
  }

  /**
   * Like current(), but waits for the count under way however long it takes: for taking an
   * instance's count before measuring its reports (the in-process tests, the ingest bench), so that
   * a count slower than FIRST_COUNT_WAIT_MS cannot land in a report they count.
   */
  async settled(): Promise<number> {
    await this.current();
    if (this.counting !== undefined) await this.counting;
    return this.agents;
  }

  private async recount(): Promise<void> {
    try {
      const agents = await this.count();
      if (!Number.isSafeInteger(agents) || agents < 0) throw new Error(`not a count: ${String(agents)}`);
      this.agents = agents;
      this.counted = true;
      this.nextCountAt = this.now() + FLEET_SIZE_REFRESH_MS;
    } catch (error) {
      this.nextCountAt = this.now() + FLEET_SIZE_RETRY_MS;
      this.warn('counting the project’s agents failed: report slots keep the last count (or the most lanes)', {
        fault: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** Resolves when `work` does or after `ms`, whichever is first; the timer never holds the process open. */
async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
