// What an audit entry (workspaces/{ws}/audit/{id}) holds, built in one place for the callables (in
// their own transaction or batch) and for the triggers that audit client writes. Pure: the writer
// (audit-writer.ts) adds the server's time.
import { AUDIT_RETENTION_DAYS, type AuditAction, type AuditActor, type AuditTarget } from '@vigil/schema';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  ip?: string;
  /** The workspace's settings.auditRetentionDays as stored (anything invalid means the default). */
  retentionDays: unknown;
}

export interface AuditFields {
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  ip?: string;
  expireAt: Date;
}

/** The workspace's audit retention in days: its own setting when valid, else the default (365). */
export function auditRetentionDays(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= AUDIT_RETENTION_DAYS.min && value <= AUDIT_RETENTION_DAYS.max
    ? value
    : AUDIT_RETENTION_DAYS.default;
}

/** The entry's fields but its time; undefined optional parts are left out (Firestore refuses undefined). */
export function auditFields(input: AuditInput, nowMs: number): AuditFields {
  const fields: AuditFields = {
    actor: input.actor,
    action: input.action,
    target: input.target.name === undefined ? { type: input.target.type, id: input.target.id } : input.target,
    expireAt: new Date(nowMs + auditRetentionDays(input.retentionDays) * DAY_MS),
  };
  if (input.before !== undefined) fields.before = input.before;
  if (input.after !== undefined) fields.after = input.after;
  if (input.ip !== undefined) fields.ip = input.ip;
  return fields;
}

/** A callable's caller as an actor. */
export function userActor(caller: { uid: string; email: string | null }): AuditActor {
  return { type: 'user', uid: caller.uid, email: caller.email };
}

interface RawRequestLike {
  ip?: unknown;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: unknown };
}

/**
 * The address a callable came from: the first hop of X-Forwarded-For (the client, as Google's front
 * end writes it), else the connection's address (express's `ip`, else the socket's). At most 64 characters; undefined when unknown.
 */
export function requestIp(rawRequest: RawRequestLike | undefined): string | undefined {
  const forwarded = rawRequest?.headers?.['x-forwarded-for'];
  const header = Array.isArray(forwarded) ? (forwarded[0] as unknown) : forwarded;
  const first = typeof header === 'string' ? header.split(',')[0]?.trim() : undefined;
  const connection = typeof rawRequest?.ip === 'string' ? rawRequest.ip : rawRequest?.socket?.remoteAddress;
  const ip = first || (typeof connection === 'string' ? connection : undefined);
  return ip ? ip.slice(0, 64) : undefined;
}
