// Enrollment (docs/architecture.md, "Enrollment"): the token's format, the callables' inputs and
// results, and the stored shapes. A token `vgle_<tokenId>_<secret>`:
// - `tokenId` (16 base32 characters, 80 random bits) names workspaces/{ws}/enrollmentTokens/{tokenId},
//   the metadata owners and admins list, and enrollmentSecrets/{tokenId}, the hash no client reads;
// - the secret is 32 CSPRNG bytes in base64url (43 characters); only its SHA-256 is stored.
// Generation and hashing need a CSPRNG and live in functions/; this module only knows the format.
import { z } from 'zod';
import { isoDateTimeSchema, timestampSchema } from './common.js';
import { ENROLLMENT_TOKEN_LIMITS, ENROLLMENT_TOKEN_PREFIX } from './constants/enrollment.js';
import { firestoreIdSchema } from './ids.js';
import { labelsProblem, type AgentLabels } from './labels.js';
import { personRefSchema } from './teams.js';

export const ENROLLMENT_TOKEN_PATTERN = /^vgle_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;
export const ENROLLMENT_TOKEN_ID_PATTERN = /^[a-z2-7]{16}$/;

export interface ParsedEnrollmentToken {
  tokenId: string;
  secret: string;
}

/** The token's parts, or undefined for anything that is not exactly a Vigil enrollment token. */
export function parseEnrollmentToken(token: unknown): ParsedEnrollmentToken | undefined {
  if (typeof token !== 'string') return undefined;
  const match = ENROLLMENT_TOKEN_PATTERN.exec(token.trim());
  if (!match) return undefined;
  return { tokenId: match[1]!, secret: match[2]! };
}

export function formatEnrollmentToken({ tokenId, secret }: ParsedEnrollmentToken): string {
  const token = `${ENROLLMENT_TOKEN_PREFIX}${tokenId}_${secret}`;
  if (!ENROLLMENT_TOKEN_PATTERN.test(token)) throw new Error('token id or secret has the wrong format');
  return token;
}

export const enrollmentTokenIdSchema = z.string().regex(ENROLLMENT_TOKEN_ID_PATTERN, 'must be a Vigil enrollment token id');

/** `agents/{id}.labels` and every label map a callable takes (labels.ts says what is valid). */
export const agentLabelsSchema = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  const problem = labelsProblem(labels);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}) as z.ZodType<AgentLabels, AgentLabels>;

/** SHA-256 hex of "vigil:" + /etc/machine-id, as the agent sends it (the raw id is confidential, machine-id(5)). */
export const machineIdHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 (64 lower-case hex digits) of "vigil:" + /etc/machine-id');

// ---- Callables ----------------------------------------------------------------------------------

/** Expiry: `expiresInDays` (1-365, default 7) or an `expiresAt` within the same bounds, not both. */
export const createEnrollmentTokenInputSchema = z
  .object({
    workspaceId: firestoreIdSchema,
    name: z.string().trim().min(1).max(ENROLLMENT_TOKEN_LIMITS.nameLength),
    expiresInDays: z.number().int().min(ENROLLMENT_TOKEN_LIMITS.minExpiresInDays).max(ENROLLMENT_TOKEN_LIMITS.maxExpiresInDays).optional(),
    expiresAt: isoDateTimeSchema.optional(),
    /** null: unlimited (until it expires or is revoked). */
    maxUses: z.number().int().min(1).max(ENROLLMENT_TOKEN_LIMITS.maxUses).nullable().default(null),
    labels: agentLabelsSchema.default({}),
  })
  .refine((input) => input.expiresInDays === undefined || input.expiresAt === undefined, {
    message: 'give expiresInDays or expiresAt, not both',
    path: ['expiresAt'],
  });
export type CreateEnrollmentTokenInput = z.input<typeof createEnrollmentTokenInputSchema>;

/** The token is in this reply only (shown once); `expiresAt` is ISO 8601; `installCommand` carries the token. */
export const createEnrollmentTokenResultSchema = z.object({
  tokenId: z.string(),
  token: z.string(),
  expiresAt: z.string(),
  installCommand: z.string(),
});
export type CreateEnrollmentTokenResult = z.infer<typeof createEnrollmentTokenResultSchema>;

export const enrollmentTokenRefInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  tokenId: firestoreIdSchema,
});
export type EnrollmentTokenRefInput = z.infer<typeof enrollmentTokenRefInputSchema>;

export const revokeEnrollmentTokenResultSchema = z.object({ tokenId: z.string(), revoked: z.literal(true) });
export type RevokeEnrollmentTokenResult = z.infer<typeof revokeEnrollmentTokenResultSchema>;

/** enrollAgent's body (`{data: …}`); the token travels in the X-Vigil-Enrollment-Token header. */
export const enrollAgentInputSchema = z.object({
  machineId: machineIdHashSchema,
  hostname: z.string().trim().min(1).max(ENROLLMENT_TOKEN_LIMITS.hostnameLength),
  agentVersion: z.string().trim().max(ENROLLMENT_TOKEN_LIMITS.agentVersionLength).optional(),
  labels: agentLabelsSchema.default({}),
});
export type EnrollAgentInput = z.input<typeof enrollAgentInputSchema>;

/** `reused`: this machine was enrolled in the workspace already; its agent got a new key (the old one stops working). */
export const enrollAgentResultSchema = z.object({
  workspaceId: z.string(),
  agentId: z.string(),
  name: z.string(),
  key: z.string(),
  keyPrefix: z.string(),
  reportingIntervalSeconds: z.number().int().positive(),
  reused: z.boolean(),
});
export type EnrollAgentResult = z.infer<typeof enrollAgentResultSchema>;

/** Replaces the agent's labels with `labels` (an empty map removes them all). */
export const setAgentLabelsInputSchema = z.object({
  workspaceId: firestoreIdSchema,
  agentId: firestoreIdSchema,
  labels: agentLabelsSchema,
});
export type SetAgentLabelsInput = z.infer<typeof setAgentLabelsInputSchema>;

export const setAgentLabelsResultSchema = z.object({ agentId: z.string(), labels: z.record(z.string(), z.string()) });
export type SetAgentLabelsResult = z.infer<typeof setAgentLabelsResultSchema>;

// ---- Stored ---------------------------------------------------------------------------------------

/**
 * `workspaces/{ws}/enrollmentTokens/{tokenId}`: what owners and admins list (firestore.rules); written
 * by functions only. Holds no part of the secret.
 */
export const enrollmentTokenSchema = z.object({
  name: z.string(),
  createdBy: personRefSchema,
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
  /** null: unlimited. */
  maxUses: z.number().int().min(1).nullable(),
  /** Enrollments so far (a re-enrollment of a known machine counts too). */
  uses: z.number().int().min(0),
  labels: z.record(z.string(), z.string()),
  revokedAt: timestampSchema.nullable(),
  revokedBy: personRefSchema.nullable().optional(),
  lastUsedAt: timestampSchema.nullable(),
  /**
   * Bound to this agent (createAgent's install command): it enrolls that agent only, once (maxUses
   * 1), and dies with it (revokeAgent revokes it). Absent: a fleet token (createEnrollmentToken).
   */
  agentId: z.string().optional(),
});
export type EnrollmentToken = z.infer<typeof enrollmentTokenSchema>;

/** `enrollmentSecrets/{tokenId}`: only functions read or write it (like agentKeys). */
export const enrollmentSecretSchema = z.object({
  workspaceId: z.string(),
  /** Lower-case hex SHA-256 of the token's secret part. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: timestampSchema,
});
export type EnrollmentSecret = z.infer<typeof enrollmentSecretSchema>;

/** What an agent created by enrollment records of it (`agents/{id}.enrolledBy`). */
export const enrolledBySchema = z.object({ tokenId: z.string() });
