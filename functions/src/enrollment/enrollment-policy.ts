// The decisions of enrollment, pure (the callers supply the clock and what they read):
// when a new token expires, whether a token may enroll now, the per-token rate limit, and what an
// enrollment does to the agents of the workspace (a new agent, or the machine's agent re-keyed) and
// with which labels.
import { ENROLLMENT_TOKEN_LIMITS, LABEL_LIMITS, LIMITS, mergeEnrollmentLabels, type AgentLabels } from '@vigil/schema';

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a token made at `nowMs` expires: `expiresAt` if given, else `expiresInDays` (default 7) from now. */
export function tokenExpiry(input: { expiresInDays?: number; expiresAt?: string }, nowMs: number): { expiresAtMs: number } | { problem: string } {
  if (input.expiresAt === undefined) {
    return { expiresAtMs: nowMs + (input.expiresInDays ?? ENROLLMENT_TOKEN_LIMITS.defaultExpiresInDays) * DAY_MS };
  }
  const expiresAtMs = Date.parse(input.expiresAt);
  if (expiresAtMs <= nowMs) return { problem: 'expiresAt must be in the future' };
  if (expiresAtMs > nowMs + ENROLLMENT_TOKEN_LIMITS.maxExpiresInDays * DAY_MS) {
    return { problem: `expiresAt must be at most ${ENROLLMENT_TOKEN_LIMITS.maxExpiresInDays} days from now` };
  }
  return { expiresAtMs };
}

export interface TokenState {
  revoked: boolean;
  expiresAtMs: number;
  maxUses: number | null;
  uses: number;
}

/** Why a real token may not enroll now, in the words the refusal uses; undefined when it may. */
export function tokenRefusal(token: TokenState, nowMs: number): 'revoked' | 'expired' | 'used up' | undefined {
  if (token.revoked) return 'revoked';
  if (nowMs >= token.expiresAtMs) return 'expired';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'used up';
  return undefined;
}

export interface EnrollmentBudget {
  tokens: number;
  updatedAtMs: number;
}

export type EnrollmentBudgetDecision = { allowed: true; budget: EnrollmentBudget } | { allowed: false; retryAfterSeconds: number };

function isBudget(value: unknown): value is EnrollmentBudget {
  const budget = value as EnrollmentBudget | null;
  return typeof budget?.tokens === 'number' && Number.isFinite(budget.tokens) && typeof budget?.updatedAtMs === 'number';
}

/**
 * The token bucket on the token's document (`enrollBudget`): a burst of ENROLLMENT_TOKEN_LIMITS.burst,
 * then one enrollment per msPerEnrollment, so a token's documents stay under Firestore's one write
 * per second however many hosts enroll at once. A malformed stored budget starts full.
 */
export function takeEnrollment(previous: unknown, nowMs: number): EnrollmentBudgetDecision {
  const { burst, msPerEnrollment } = ENROLLMENT_TOKEN_LIMITS;
  const start = isBudget(previous) ? previous : { tokens: burst, updatedAtMs: nowMs };
  // A clock that went backwards refills nothing rather than draining the bucket.
  const tokens = Math.min(burst, start.tokens + Math.max(0, nowMs - start.updatedAtMs) / msPerEnrollment);
  if (tokens < 1) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * msPerEnrollment) / 1000)) };
  return { allowed: true, budget: { tokens: tokens - 1, updatedAtMs: nowMs } };
}

/** A stored label map as it is, or {} for anything that is not a map of text (it is replaced, never trusted). */
export function storedLabels(value: unknown): AgentLabels {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export type EnrollDecision =
  | { action: 'create'; name: string; labels: AgentLabels }
  | { action: 'reuse'; agentId: string; labels: AgentLabels }
  | { action: 'refuse'; problem: string };

/**
 * What one enrollment does. The machine's agent already in the workspace (`existing`) is kept and
 * re-keyed, its labels kept with the enrollment's over them; otherwise a new agent named after the
 * hostname. Labels: the host's, the token's winning (mergeEnrollmentLabels); more than
 * LABEL_LIMITS.maxLabels in all is refused, naming the count, rather than silently dropping some.
 */
export function enrollDecision(input: {
  existing: { agentId: string; labels: unknown } | undefined;
  hostname: string;
  tokenLabels: AgentLabels;
  hostLabels: AgentLabels;
}): EnrollDecision {
  const enrolled = mergeEnrollmentLabels(input.tokenLabels, input.hostLabels);
  const labels = input.existing ? { ...storedLabels(input.existing.labels), ...enrolled } : enrolled;
  const count = Object.keys(labels).length;
  if (count > LABEL_LIMITS.maxLabels) {
    const whose = input.existing ? "the agent's labels, the host's and the token's" : "the host's labels and the token's";
    return { action: 'refuse', problem: `${whose} make ${count}; an agent has at most ${LABEL_LIMITS.maxLabels}` };
  }
  if (input.existing) return { action: 'reuse', agentId: input.existing.agentId, labels };
  return { action: 'create', name: input.hostname.slice(0, LIMITS.agentNameLength), labels };
}
