// Retry timing after a failed send. "Full jitter" (a uniform draw between zero and an exponentially
// growing ceiling) spreads the retries of a whole fleet that lost the ingest at the same moment, so
// they do not come back as one wave when it returns.

export const BACKOFF = {
  /** Ceiling after the first failure; it doubles with each further failure. */
  baseMs: 5_000,
  /** The ceiling never grows past this: a host that was offline for a day retries every ≤ 15 min. */
  capMs: 15 * 60_000,
  /** Never retry sooner than this, however small the draw: no tight loops. */
  floorMs: 1_000,
} as const;

/** The delay before the next attempt after `failures` consecutive failures (0 when there were none). */
export function retryDelayMs(failures: number, random: () => number, options: { baseMs: number; capMs: number; floorMs: number } = BACKOFF): number {
  if (failures <= 0) return 0;
  // 2 ** 40 is already far past any cap; bounding the exponent keeps the arithmetic finite.
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(failures - 1, 40));
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.max(options.floorMs, Math.floor(draw * ceiling));
}
