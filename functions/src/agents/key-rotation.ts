// Key rotation the agent carries out itself, without re-enrolment (docs/architecture.md, "Agent
// keys"): the pure decisions. requestKeyRotation marks the agent (`keyRotation`); every ingest reply
// to its current key then says `rotateKey: true`; fetchAgentKey, called with the current key, issues
// the new one as `pendingKeyId`, and both keys work until the first report made with the new one
// promotes it (keyId ← pending, the old key revoked). A pending key unused 24 h after its fetch is
// refused and the old key stays: the agent cannot be locked out by a key it never stored, and the
// next reply asks it again. A workspace's settings.keyRotationDays makes ingest request one itself
// (`automaticRotationDue`) once the agent's key is that old. Nothing here reads or writes:
// ingest-report.ts and the callables do.
import { KEY_ROTATION, displayKeyPrefix } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { keyRotationDaysSetting } from '../workspaces/agent-settings.js';

/** A pending rotation as ingest and the callables use it; read tolerantly (anything malformed is none). */
export interface PendingRotation {
  reason: 'dashboard' | 'automatic';
  requestedAtMs: number;
  /** When fetchAgentKey issued the pending key; null until then. */
  fetchedAtMs: number | null;
}

/** What the agent document says of its keys (ingestAgentSchema's fields, as stored). */
export interface AgentKeys {
  keyId: string | null;
  pendingKeyId?: unknown;
  keyRotation?: unknown;
}

function millis(value: unknown): number | null {
  return value instanceof Timestamp ? value.toMillis() : null;
}

export function pendingRotation(value: unknown): PendingRotation | null {
  if (typeof value !== 'object' || value === null) return null;
  const { reason, requestedAt, fetchedAt } = value as Record<string, unknown>;
  if (reason !== 'dashboard' && reason !== 'automatic') return null;
  const requestedAtMs = millis(requestedAt);
  if (requestedAtMs === null) return null;
  return { reason, requestedAtMs, fetchedAtMs: millis(fetchedAt) };
}

/**
 * How a presented key id stands with its agent: its `current` key, the `pending` one (fetched less
 * than KEY_ROTATION.pendingKeySeconds ago, a rotation still pending), or `refused` (any other id,
 * an expired or orphaned pending key).
 */
export function keyStanding(agent: AgentKeys, keyId: string, nowMs: number): 'current' | 'pending' | 'refused' {
  if (agent.keyId === keyId) return 'current';
  if (typeof agent.pendingKeyId !== 'string' || agent.pendingKeyId !== keyId) return 'refused';
  const rotation = pendingRotation(agent.keyRotation);
  if (rotation?.fetchedAtMs == null) return 'refused';
  return nowMs - rotation.fetchedAtMs < KEY_ROTATION.pendingKeySeconds * 1000 ? 'pending' : 'refused';
}

/** Whether ingest's reply to a report made with `keyId` asks the agent to rotate: its current key while a rotation is pending. */
export function asksForRotation(agent: AgentKeys, keyId: string): boolean {
  return agent.keyId === keyId && pendingRotation(agent.keyRotation) !== null;
}

/**
 * The agent fields a report made with the pending key writes, beside the report's own: the new key
 * becomes the agent's, the rotation is over. The old key's document is revoked in the same batch.
 */
export function promotion(pendingKeyId: string) {
  return { keyId: pendingKeyId, keyPrefix: displayKeyPrefix(pendingKeyId), pendingKeyId: null, keyRotation: null };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether ingest, on a live report made with `keyId`, asks for an automatic rotation (the
 * workspace's settings.keyRotationDays, copied on the agent): the agent's current key, issued
 * `keyRotationDays` or more ago (its key document's createdAt, `keyIssuedAtMs`), and no rotation
 * pending (a pending one, of either reason, is already being asked for). Off when the agent carries
 * no valid number of days. A key with no known issue time (NaN) is never due.
 */
export function automaticRotationDue(agent: AgentKeys & { keyRotationDays?: unknown }, keyId: string, keyIssuedAtMs: number, nowMs: number): boolean {
  if (agent.keyId !== keyId || pendingRotation(agent.keyRotation) !== null) return false;
  const days = keyRotationDaysSetting(agent.keyRotationDays);
  return days !== null && nowMs - keyIssuedAtMs >= days * DAY_MS;
}

/** The `keyRotation` an automatic request writes: at the receipt time, fetched by nobody yet. */
export function automaticRotation(nowMs: number) {
  return { reason: 'automatic' as const, requestedAt: Timestamp.fromMillis(nowMs), fetchedAt: null };
}

/** Why fetchAgentKey refuses a caller whose key checked out, or null when it may issue a key. */
export function fetchRefusal(
  agent: AgentKeys,
  keyId: string,
  nowMs: number,
): { code: 'failed-precondition' | 'resource-exhausted'; message: string; retryAfterSeconds?: number } | null {
  const rotation = pendingRotation(agent.keyRotation);
  // Only the current key fetches: a pending key that could fetch would let a leaked one re-key itself.
  if (agent.keyId !== keyId || rotation === null) {
    return { code: 'failed-precondition', message: 'No key rotation is pending for this agent key.' };
  }
  if (rotation.fetchedAtMs !== null) {
    const waitMs = rotation.fetchedAtMs + KEY_ROTATION.minFetchSeconds * 1000 - nowMs;
    if (waitMs > 0) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      return { code: 'resource-exhausted', message: `A key was issued moments ago; retry in ${retryAfterSeconds} s.`, retryAfterSeconds };
    }
  }
  return null;
}
