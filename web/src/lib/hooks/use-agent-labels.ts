'use client';

// An agent's labels, written through the setAgentLabels callable (no client writes agents); then
// what staleAfter names is read again.
import type { SetAgentLabelsInput, SetAgentLabelsResult } from '@vigil/schema';
import { useCallback } from 'react';
import { useSWRConfig } from 'swr';
import { withCallables } from '../firebase/lazy';
import { staleAfter } from './swr-keys';

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
