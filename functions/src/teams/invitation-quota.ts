// The invitation email is the one message Vigil sends to an address nobody has verified, so each
// workspace may send only INVITATION_LIMITS.emailsPerWorkspacePerDay of them (new or resent) per UTC
// day. The count lives in a functions-only document (paths.invitationQuota). Pure.
import { INVITATION_LIMITS } from '@vigil/schema';

export interface QuotaCount {
  /** The UTC day counted, YYYY-MM-DD. */
  day: string;
  sent: number;
}

export type QuotaDecision = { allowed: true; next: QuotaCount } | { allowed: false; retryAfterSeconds: number; limit: number };

export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** The stored count as it applies today (another day's count is 0); anything malformed counts as 0. */
function sentToday(stored: unknown, today: string): number {
  const count = stored as Partial<QuotaCount> | null | undefined;
  if (count?.day !== today || typeof count.sent !== 'number' || !Number.isInteger(count.sent) || count.sent < 0) return 0;
  return count.sent;
}

export function invitationQuota(stored: unknown, nowMs: number, limit: number = INVITATION_LIMITS.emailsPerWorkspacePerDay): QuotaDecision {
  const today = utcDay(nowMs);
  const sent = sentToday(stored, today);
  if (sent >= limit) {
    const nextDayMs = Date.parse(`${today}T00:00:00Z`) + 24 * 60 * 60 * 1000;
    return { allowed: false, retryAfterSeconds: Math.ceil((nextDayMs - nowMs) / 1000), limit };
  }
  return { allowed: true, next: { day: today, sent: sent + 1 } };
}
