// What retention keeps, and the sweep's fixed numbers. Pure, so the boundaries are tested.
//
// Every document retention deletes carries `expireAt` (its TTL field, firestore.indexes.json): the
// write time plus the workspace's retentionDays. Firestore's TTL deletes them; the hourly sweep
// (prune-old-data.ts) deletes whatever TTL has not yet, and handles what TTL cannot: a lowered
// retention (documents already stamped with the longer expiry) and documents from before expireAt.
import { DEFAULT_WORKSPACE_SETTINGS, WORKSPACE_SETTING_BOUNDS } from '@vigil/schema';

/** The workspace setting's default and bounds, from their one home (schema/src/constants/workspace-settings.ts). */
export const DEFAULT_RETENTION_DAYS = DEFAULT_WORKSPACE_SETTINGS.retentionDays;
const RETENTION_BOUNDS = WORKSPACE_SETTING_BOUNDS.retentionDays;

const DAY_MS = 86_400_000;

/** The collections retention deletes, each with the time its expiry counts from (what the one-off backfill orders by). */
export const RETENTION_COLLECTIONS = [
  { collection: 'reports', writtenAt: 'receivedAt' },
  { collection: 'events', writtenAt: 'createdAt' },
  { collection: 'emailHours', writtenAt: 'endsAt' },
  { collection: 'digests', writtenAt: 'periodEnd' },
] as const;
/**
 * Every collection group whose documents carry the TTL field `expireAt` (firestore.indexes.json) and
 * which the sweep's expired pass deletes: those above, by the workspace's retentionDays, and the audit
 * log, whose entries expire by the workspace's own auditRetentionDays (audit/audit-entry.ts) and so
 * take no part in the lowered-retention and backfill passes, which go by retentionDays.
 */
export const EXPIRING_COLLECTIONS = [...RETENTION_COLLECTIONS.map(({ collection }) => collection), 'audit'] as const;
export type RetentionCollection = (typeof EXPIRING_COLLECTIONS)[number];

/** The sweep stops starting new pages after this long: 7 of its 9 minutes, leaving time to flush the deletes queued. */
export const SWEEP_BUDGET_MS = 7 * 60_000;
/** Documents per query page. */
export const SWEEP_PAGE_SIZE = 1000;
/**
 * How long after a retention was lowered documents may still be written with the older expiry: an
 * ingest that read the agent's retentionDays just before onWorkspaceWritten copied the new one.
 * Ingest's agent write is conditional on the agent's update time, so this is seconds; an hour is plenty.
 */
export const LOWERED_RETENTION_SLACK_MS = 3_600_000;

/** The workspace's retention in whole days, clamped to the setting's bounds (1..365; its default, 30, when unset or unusable). */
export function retentionDays(setting: unknown): number {
  if (typeof setting !== 'number' || !Number.isFinite(setting)) return DEFAULT_RETENTION_DAYS;
  return Math.min(RETENTION_BOUNDS.max, Math.max(RETENTION_BOUNDS.min, Math.floor(setting)));
}

/** Documents older than this instant are deleted. */
export function retentionCutoff(nowMs: number, days: number): Date {
  return new Date(nowMs - days * DAY_MS);
}

/** When a document written at `writtenAtMs` expires (its TTL field `expireAt`, firestore.indexes.json). */
export function expiresAt(writtenAtMs: number, days: unknown): Date {
  return new Date(writtenAtMs + retentionDays(days) * DAY_MS);
}

/** Whether a workspace setting change lowered its retention (a change of a usable value to a smaller one). */
export function retentionLowered(before: unknown, after: unknown): boolean {
  const usable = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;
  return usable(before) && usable(after) && (after as number) < (before as number);
}

/**
 * Whether a lowered retention's pass is over: every document written before it was lowered
 * (`pendingSinceMs`, plus the slack) is now older than the cut-off, so the pass has deleted it, and
 * everything newer carries the shorter expiry.
 */
export function loweredRetentionSettled(nowMs: number, days: number, pendingSinceMs: number): boolean {
  return retentionCutoff(nowMs, days).getTime() >= pendingSinceMs + LOWERED_RETENTION_SLACK_MS;
}

/** What the one-off backfill does with a document written at `writtenAtMs` that has no expireAt: delete it now, or stamp its expiry. */
export function backfillDecision(writtenAtMs: number, days: unknown, nowMs: number): { delete: true } | { delete: false; expireAt: Date } {
  const expireAt = expiresAt(writtenAtMs, days);
  return expireAt.getTime() <= nowMs ? { delete: true } : { delete: false, expireAt };
}
