'use client';

import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { withData } from '../firebase/lazy';
import { staleAfter, swrKeys } from './swr-keys';

/** The "checked" marks of one solution's tests, by test id. */
export function useTestAcks(workspaceId: string, agentId: string, solutionId: string) {
  return useSWR(swrKeys.testAcks(workspaceId, agentId, solutionId), ([, ws, agent, solution]) =>
    withData((data, db) => data.fetchTestAcks(db, ws, agent, solution)),
  );
}

export interface TestRef {
  workspaceId: string;
  agentId: string;
  solutionId: string;
  testId: string;
}

/** "Mark as checked": the mark holds the failure streak it acknowledges; the marks are read again. */
export function useMarkTestChecked() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async (ref: TestRef, failingSince: string, uid: string) => {
      await withData((data, db) => data.markTestChecked(db, { ...ref, failingSince, uid }));
      await Promise.all(staleAfter.markTestChecked(ref.workspaceId, ref.agentId, ref.solutionId).map((key) => mutate(key)));
    },
    [mutate],
  );
}

/** "Undo" a mark; the marks are read again. */
export function useUndoTestCheck() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async (ref: TestRef) => {
      await withData((data, db) => data.unmarkTestChecked(db, ref));
      await Promise.all(staleAfter.undoTestCheck(ref.workspaceId, ref.agentId, ref.solutionId).map((key) => mutate(key)));
    },
    [mutate],
  );
}
