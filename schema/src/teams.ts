// Teams: the stored shapes of invitations (workspaces/{ws}/invitations/{id}) and of the audit log
// (workspaces/{ws}/audit/{id}). Both are written by functions only (firestore.rules); see
// docs/architecture.md, "Teams".
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from './constants/audit-actions.js';
import { roleSchema, timestampSchema } from './common.js';

/** Longest address RFC 5321 lets through a mail system. */
export const EMAIL_ADDRESS_MAX_LENGTH = 254;

/** An invitee's address as stored and compared: trimmed and lower-case. */
export const invitedEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_ADDRESS_MAX_LENGTH)
  .pipe(z.email({ message: 'must be an email address' }));

export const INVITATION_STATES = ['pending', 'accepted', 'revoked'] as const;
export const invitationStateSchema = z.enum(INVITATION_STATES);
export type InvitationState = z.infer<typeof invitationStateSchema>;

/** Who did it, as the token of their callable said. */
export const personRefSchema = z.object({ uid: z.string(), email: z.string().nullable() });
export type PersonRef = z.infer<typeof personRefSchema>;

export const invitationSchema = z.object({
  /** Normalised (invitedEmailSchema); one pending invitation per address and workspace. */
  email: z.string(),
  role: roleSchema,
  invitedBy: personRefSchema,
  createdAt: timestampSchema,
  /** 7 days after the last send (INVITATION_LIMITS.validDays). */
  expiresAt: timestampSchema,
  state: invitationStateSchema,
  /** SHA-256 (hex) of the link's 32-byte random token; the token itself is never stored. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  sentAt: timestampSchema,
  /** How many emails this invitation has sent (1 + resends). */
  sends: z.number().int().min(1),
  acceptedBy: z.string().nullable().optional(),
  acceptedAt: timestampSchema.nullable().optional(),
  revokedBy: personRefSchema.nullable().optional(),
  revokedAt: timestampSchema.nullable().optional(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/**
 * Who an audit entry says acted: a signed-in person (a callable's verified token, or a client write
 * whose writer the rules pin), the system (a schedule), or `unknown` when a client write reached a
 * trigger without the writer's identity (see docs/architecture.md, "Audit log").
 */
export const auditActorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), uid: z.string(), email: z.string().nullable() }),
  z.object({ type: z.literal('system') }),
  z.object({ type: z.literal('unknown') }),
]);
export type AuditActor = z.infer<typeof auditActorSchema>;

export const auditTargetSchema = z.object({
  type: z.enum(AUDIT_TARGET_TYPES),
  id: z.string(),
  name: z.string().optional(),
});
export type AuditTarget = z.infer<typeof auditTargetSchema>;

export const auditEntrySchema = z.object({
  at: timestampSchema,
  actor: auditActorSchema,
  action: z.enum(AUDIT_ACTIONS),
  target: auditTargetSchema,
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
  /** The caller's address, callables only. */
  ip: z.string().optional(),
  /** The TTL field: `at` plus the workspace's auditRetentionDays. */
  expireAt: timestampSchema,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
