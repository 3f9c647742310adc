'use client';

import useSWR from 'swr';
import useSWRInfinite from 'swr/infinite';
import type { EventFilters, EventsPage } from '../data/events';
import type { EventView } from '../model/event';
import { withData } from '../firebase/lazy';
import { useLive } from './use-live';

/** The newest events, live. */
export function useLatestEvents(workspaceId: string | null, count: number) {
  return useLive<EventView[], readonly ['latest-events', string, string]>(
    workspaceId ? ['latest-events', workspaceId, String(count)] : null,
    (data, db, [, ws], listener) => data.watchLatestEvents(db, ws, count, listener),
  );
}

/** Unacknowledged events; `version` changes when the latest events change, which recounts. */
export function useOpenEventCount(workspaceId: string | null, version: string | undefined) {
  const key = workspaceId && version !== undefined ? (['open-events', workspaceId, version] as const) : null;
  return useSWR(key, ([, ws]) => withData((data, db) => data.countOpenEvents(db, ws)), { keepPreviousData: true });
}

export const EVENTS_PAGE_SIZE = 25;

/** A filtered feed, a page at a time. */
export function useEventsFeed(workspaceId: string, filters: EventFilters) {
  const filterKey = `${filters.kind ?? ''}|${filters.agentId ?? ''}|${filters.solutionId ?? ''}`;
  return useSWRInfinite<EventsPage, Error>(
    (index, previous: EventsPage | null) => {
      if (index > 0 && !previous?.next) return null;
      return ['events', workspaceId, filterKey, index, previous?.next ?? null];
    },
    ([, ws, , , after]: [string, string, string, number, EventsPage['next']]) =>
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
    ['config-changes', workspaceId, agentId, solutionId, configurationKey] as const,
    ([, ws, agent, solution]) =>
      withData((data, db) => data.fetchEventsPage(db, ws, { kind: 'config_changed', agentId: agent, solutionId: solution }, 20, null)),
    { keepPreviousData: true },
  );
}
