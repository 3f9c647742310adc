'use client';

// A Firestore listener as an SWR resource: components that ask for the same key share one listener,
// and it stops when the last of them unmounts.
import type { Firestore, Unsubscribe } from 'firebase/firestore';
import useSWRSubscription, { type SWRSubscriptionOptions } from 'swr/subscription';
import type { Listener } from '../data/agents';
import { withData } from '../firebase/lazy';

type DataModule = typeof import('../data');
type LiveKey = readonly [string, ...string[]];

export interface LiveResult<T> {
  data?: T;
  error?: Error;
}

export function useLive<T, K extends LiveKey>(
  key: K | null,
  start: (data: DataModule, db: Firestore, key: K, listener: Listener<T>) => Unsubscribe,
): LiveResult<T> {
  const subscribe = (current: K, { next }: SWRSubscriptionOptions<T, Error>) => {
    let stop: Unsubscribe | undefined;
    let cancelled = false;
    withData((data, db) => {
      if (cancelled) return;
      stop = start(data, db, current, { next: (value) => next(null, value), error: (error) => next(error) });
    }).catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
    return () => {
      cancelled = true;
      stop?.();
    };
  };
  // swr's type says a subscription returns void; it calls the function returned to unsubscribe.
  return useSWRSubscription<T, Error, K | null>(key, subscribe as never);
}
