'use client';

import { useCallback } from 'react';
import useSWR from 'swr';
import useSWRInfinite from 'swr/infinite';
import type { EventFilters, EventsPage } from '../data/events';
import type { EventView } from '../model/event';
import { withData } from '../firebase/lazy';
import { swrKeys } from './swr-keys';
import { useLive } from './use-live';

/** The newest events, live. */
export function useLatestEvents(workspaceId: string | null, count: number) {
  return useLive<EventView[], ReturnType<typeof swrKeys.latestEvents>>(
    workspaceId ? swrKeys.latestEvents(workspaceId, count) : null,
    (data, db, [, ws], listener) => data.watchLatestEvents(db, ws, count, listener),
  );
}

/** Unacknowledged events; `version` changes when the latest events change, which recounts. */
export function useOpenEventCount(workspaceId: string | null, version: string | undefined) {
  const key = workspaceId && version !== undefined ? swrKeys.openEventCount(workspaceId, version) : null;
  return useSWR(key, ([, ws]) => withData((data, db) => data.countOpenEvents(db, ws)), { keepPreviousData: true });
}

export const EVENTS_PAGE_SIZE = 25;

/** A filtered feed, a page at a time; a null workspace reads nothing (filters the server cannot take). */
export function useEventsFeed(workspaceId: string | null, filters: EventFilters) {
  return useSWRInfinite<EventsPage, Error>(
    (index, previous: EventsPage | null) => {
      if (workspaceId === null || (index > 0 && !previous?.next)) return null;
      return swrKeys.eventsPage(workspaceId, filters, index, previous?.next ?? null);
    },
    ([, ws, , , after]: ReturnType<typeof swrKeys.eventsPage>) =>
      withData((data, db) => data.fetchEventsPage(db, ws, filters, EVENTS_PAGE_SIZE, after)),
    { revalidateFirstPage: false, revalidateAll: false },
  );
}

/**
 * The configuration changes of one solution on one agent, newest first. `configurationKey` (the
 * live state's configuration, serialized) is part of the key: a report that changed the
 * configuration brings its event in the same write, so the list is read again when, and only when,
 * the configuration shown changes.
 */
export function useConfigChanges(workspaceId: string, agentId: string, solutionId: string, configurationKey: string) {
  return useSWR(
    swrKeys.configChanges(workspaceId, agentId, solutionId, configurationKey),
    ([, ws, agent, solution]) =>
      withData((data, db) => data.fetchEventsPage(db, ws, { kind: 'config_changed', agentId: agent, solutionId: solution }, 20, null)),
    { keepPreviousData: true },
  );
}

/**
 * Acknowledges an event, signed with the caller's uid. Nothing is read again: the latest events are
 * a listener, and the events feed marks the event itself (`onAcknowledged`) rather than read pages again.
 */
export function useAcknowledgeEvent() {
  return useCallback(
    (workspaceId: string, eventId: string, uid: string): Promise<void> =>
      withData((data, db) => data.acknowledgeEvent(db, workspaceId, eventId, uid)),
    [],
  );
}
