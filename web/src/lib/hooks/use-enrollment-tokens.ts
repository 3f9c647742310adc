'use client';

// Enrollment tokens (owners and admins): the list is a listener, so a creation, a revocation or a
// host's enrollment shows without a refresh; the writes go through the callables (no client writes
// tokens). An agent's labels are use-agent-labels.ts.
import type { CreateEnrollmentTokenInput, CreateEnrollmentTokenResult } from '@vigil/schema';
import { useCallback } from 'react';
import type { EnrollmentTokenList } from '../data/enrollment-tokens';
import { withCallables } from '../firebase/lazy';
import { swrKeys } from './swr-keys';
import { useLive } from './use-live';

/** The workspace's enrollment tokens, newest first, live. Only for owners and admins (the rules refuse others). */
export function useEnrollmentTokens(workspaceId: string | null) {
  return useLive<EnrollmentTokenList, ReturnType<typeof swrKeys.enrollmentTokens>>(
    workspaceId ? swrKeys.enrollmentTokens(workspaceId) : null,
    (data, db, [, ws], listener) => data.watchEnrollmentTokens(db, ws, listener),
  );
}

/** A new token: the reply carries the token and install command, shown once. */
export function useCreateEnrollmentToken() {
  return useCallback(
    (input: CreateEnrollmentTokenInput): Promise<CreateEnrollmentTokenResult> =>
      withCallables((callables, functions) => callables.createEnrollmentToken(functions, input)),
    [],
  );
}

export function useRevokeEnrollmentToken() {
  return useCallback(
    (workspaceId: string, tokenId: string): Promise<void> =>
      withCallables((callables, functions) => callables.revokeEnrollmentToken(functions, { workspaceId, tokenId })),
    [],
  );
}
