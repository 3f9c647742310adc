// Enrollment tokens and agent labels: the limits every side checks (functions refuse beyond them,
// the dashboard's forms say them). docs/architecture.md, "Enrollment".

/**
 * An enrollment token: `vgle_<tokenId>_<secret>`. The `vgle_` prefix is not the agent key's `vgl_`,
 * so a secret scanner (and a person) can tell a leaked token from a leaked key.
 */
export const ENROLLMENT_TOKEN_PREFIX = 'vgle_';

export const ENROLLMENT_TOKEN_LIMITS = {
  nameLength: 100,
  /** A token lives 1 to 365 days; 7 unless its creator says otherwise. */
  defaultExpiresInDays: 7,
  minExpiresInDays: 1,
  maxExpiresInDays: 365,
  /**
   * The token in createAgent's install command is bound to its agent and lives this long, for one
   * use: the command is pasted on one host soon after, and a copy found later enrolls nothing.
   */
  boundTokenHours: 24,
  /** Enrollments one token allows, when it is limited at all (null: until it expires or is revoked). */
  maxUses: 10_000,
  /**
   * Enrollments per token: a burst of `burst`, then one per `msPerEnrollment`. Every enrollment
   * writes the token's documents, and Firestore sustains about one write per second to a document.
   */
  burst: 10,
  msPerEnrollment: 1000,
  /** Bytes of the largest enrollAgent body (the callable envelope included); a larger one is refused before anything is read. */
  requestBytes: 8 * 1024,
  /** A hostname as the agent reports it (RFC 1035's 253 characters). */
  hostnameLength: 253,
  agentVersionLength: 64,
} as const;

/**
 * Labels on an agent (`agents/{id}.labels`, a map key → value): keys like Kubernetes label names
 * (lower-case letters, digits, "-", "_", "." and starting with a letter or digit), values printable
 * text. The agents list filters by `labels.<key> == value`, so both stay short.
 */
export const LABEL_LIMITS = {
  maxLabels: 20,
  keyLength: 63,
  valueLength: 63,
} as const;

/** What the dashboard may show of a token: the prefix and token id, never any of the secret. */
export function displayEnrollmentTokenPrefix(tokenId: string): string {
  return `${ENROLLMENT_TOKEN_PREFIX}${tokenId}_…`;
}
