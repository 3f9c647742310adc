// How the agent's clock compares with the server's, for its health panel. Pure.
// Ingest measures it on each live report (agent.clockSkewSeconds: the agent's collectedAt minus the
// server's receipt time; positive: the agent is ahead) and times a report more than
// LIMITS.clockSkewSeconds in the future at receipt, so a clock far ahead cannot reorder history.
import { formatInterval, plural } from '../text/format';
import { LIMITS } from '@vigil/schema/constants';

export interface ClockSkewView {
  text: string;
  /** Beyond LIMITS.clockSkewSeconds either way: the host's clock needs fixing. */
  warning: boolean;
  /** What the skew does to its reports, when it is beyond the limit. */
  explanation: string | null;
}

const DAY = 24 * 3600;
const FIX = 'Check the time synchronisation (NTP) of the host.';

function duration(seconds: number): string {
  return seconds >= DAY ? plural(Math.floor(seconds / DAY), 'day') : formatInterval(seconds);
}

/** null when nothing was measured (an older ingest, or only backfilled reports so far). */
export function describeClockSkew(seconds: number | null | undefined): ClockSkewView | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const size = Math.round(Math.abs(seconds));
  if (size === 0) return { text: 'in step with the server', warning: false, explanation: null };
  const ahead = seconds > 0;
  const text = `${duration(size)} ${ahead ? 'ahead of' : 'behind'} the server`;
  if (Math.abs(seconds) <= LIMITS.clockSkewSeconds) return { text, warning: false, explanation: null };
  const limit = `${LIMITS.clockSkewSeconds / 60} minutes`;
  const explanation = ahead
    ? `Reports collected more than ${limit} in the future are timed at receipt. ${FIX}`
    : `Its reports carry the times it sends, so they look late. ${FIX}`;
  return { text, warning: true, explanation };
}
