'use client';

import useSWR from 'swr';
import { withData } from '../firebase/lazy';

/** The "checked" marks of one solution's tests, by test id. */
export function useTestAcks(workspaceId: string, agentId: string, solutionId: string) {
  return useSWR(['test-acks', workspaceId, agentId, solutionId] as const, ([, ws, agent, solution]) =>
    withData((data, db) => data.fetchTestAcks(db, ws, agent, solution)),
  );
}
