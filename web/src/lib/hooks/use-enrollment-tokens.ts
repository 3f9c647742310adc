'use client';

// Enrollment tokens (owners and admins) and agent labels: the token list is a listener, so a
// creation, a revocation or a host's enrollment shows without a refresh; the writes go through
// the callables (no client writes tokens or agents) and then refresh what staleAfter names.
import type { CreateEnrollmentTokenInput, CreateEnrollmentTokenResult, SetAgentLabelsInput, SetAgentLabelsResult } from '@vigil/schema';
import { useCallback } from 'react';
import { useSWRConfig } from 'swr';
import { withCallables } from '../firebase/lazy';
import type { EnrollmentTokenView } from '../model/enrollment-token';
import { staleAfter, swrKeys } from './swr-keys';
import { useLive } from './use-live';

/** The workspace's enrollment tokens, newest first, live. Only for owners and admins (the rules refuse others). */
export function useEnrollmentTokens(workspaceId: string | null) {
  return useLive<EnrollmentTokenView[], ReturnType<typeof swrKeys.enrollmentTokens>>(
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

/** Replaces an agent's labels; its page is a listener, the agents list is read again. */
export function useSetAgentLabels() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async (input: SetAgentLabelsInput): Promise<SetAgentLabelsResult> => {
      const result = await withCallables((callables, functions) => callables.setAgentLabels(functions, input));
      await Promise.all(staleAfter.setAgentLabels(input.workspaceId).map((key) => mutate(key)));
      return result;
    },
    [mutate],
  );
}
