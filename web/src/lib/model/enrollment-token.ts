// workspaces/{ws}/enrollmentTokens/{tokenId} as the enrollment page shows it, and the replies of
// the enrollment callables. Documents are read tolerantly (model/values.ts); a callable's reply
// that lacks what the page needs is an UnexpectedShapeError, never a half-shown token.
import type { AgentLabels, CreateEnrollmentTokenResult, SetAgentLabelsResult } from '@vigil/schema';
import { labelsFromDoc } from '../domain/labels';
import { asDate, asNullableString, asNumber, asRecord, asString, isFiniteNumber, isRecord, type Fields } from './values';
import { UnexpectedShapeError } from './workspace';

export interface EnrollmentTokenView {
  id: string;
  name: string;
  createdBy: { uid: string; email: string | null };
  createdAt: Date | null;
  expiresAt: Date | null;
  /** null: unlimited. */
  maxUses: number | null;
  uses: number;
  labels: AgentLabels;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export function enrollmentTokenFromDoc(id: string, data: Fields): EnrollmentTokenView {
  const createdBy = asRecord(data.createdBy);
  return {
    id,
    name: asString(data.name, id),
    createdBy: { uid: asString(createdBy.uid), email: asNullableString(createdBy.email) },
    createdAt: asDate(data.createdAt),
    expiresAt: asDate(data.expiresAt),
    // Display only (enrollAgent counts and refuses): anything but a number reads as unlimited, as null means.
    maxUses: isFiniteNumber(data.maxUses) ? data.maxUses : null,
    uses: asNumber(data.uses),
    labels: labelsFromDoc(data.labels),
    revokedAt: asDate(data.revokedAt),
    lastUsedAt: asDate(data.lastUsedAt),
  };
}

export type EnrollmentTokenState = 'active' | 'revoked' | 'expired' | 'used-up';

/** Whether the token still enrolls hosts, and if not why; revocation first, then expiry, then uses. */
export function enrollmentTokenState(token: EnrollmentTokenView, now: Date): EnrollmentTokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'used-up';
  return 'active';
}

/** "3 / 10" or "3 / unlimited". */
export function usesText(token: Pick<EnrollmentTokenView, 'uses' | 'maxUses'>): string {
  return `${token.uses} / ${token.maxUses === null ? 'unlimited' : token.maxUses}`;
}

/** createEnrollmentToken's reply: the token and command are shown once, so each must be there. */
export function parseCreateEnrollmentTokenResult(data: unknown): CreateEnrollmentTokenResult {
  const value = isRecord(data) ? data : {};
  const { tokenId, token, expiresAt, installCommand } = value;
  if (typeof tokenId !== 'string' || typeof token !== 'string' || typeof expiresAt !== 'string' || typeof installCommand !== 'string') {
    throw new UnexpectedShapeError('reply with the enrollment token');
  }
  return { tokenId, token, expiresAt, installCommand };
}

/** setAgentLabels' reply: the labels the agent now has. */
export function parseSetAgentLabelsResult(data: unknown): SetAgentLabelsResult {
  const value = isRecord(data) ? data : {};
  if (typeof value.agentId !== 'string' || !isRecord(value.labels)) throw new UnexpectedShapeError('reply with the agent labels');
  return { agentId: value.agentId, labels: labelsFromDoc(value.labels) };
}
