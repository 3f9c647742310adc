'use client';

// What every dashboard write hook shares: run the write, then read again what it made stale
// (keys or matchers from staleAfter in swr-keys.ts).
import { useCallback } from 'react';
import { useSWRConfig } from 'swr';
import type { StaleKey } from './swr-keys';

/** Runs `write`, then reads again what it made stale; resolves with the write's result. */
export function useRefreshingAfter() {
  const { mutate } = useSWRConfig();
  return useCallback(
    async <T>(write: Promise<T>, stale: StaleKey[]): Promise<T> => {
      const result = await write;
      await Promise.all(stale.map((key) => mutate(key)));
      return result;
    },
    [mutate],
  );
}
