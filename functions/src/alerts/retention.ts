// What retention keeps. Pure, so the boundaries are tested.
export const DEFAULT_RETENTION_DAYS = 30;

/** The workspace's retention in whole days, clamped to 1..365 (30 when unset or unusable). */
export function retentionDays(setting: unknown): number {
  if (typeof setting !== 'number' || !Number.isFinite(setting)) return DEFAULT_RETENTION_DAYS;
  return Math.min(365, Math.max(1, Math.floor(setting)));
}

/** Documents older than this instant are deleted. */
export function retentionCutoff(nowMs: number, days: number): Date {
  return new Date(nowMs - days * 86_400_000);
}

/** When a document written at `writtenAtMs` expires (its TTL field `expireAt`, firestore.indexes.json). */
export function expiresAt(writtenAtMs: number, days: unknown): Date {
  return new Date(writtenAtMs + retentionDays(days) * 86_400_000);
}
