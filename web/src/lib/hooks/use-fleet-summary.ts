'use client';

import useSWR from 'swr';
import type { FleetSummaryView } from '../model/fleet-summary';
import { withData } from '../firebase/lazy';
import { swrKeys } from './swr-keys';
import { useLive } from './use-live';

/** The workspace's fleet summary, live; null while the schedule has not written one. */
export function useFleetSummary(workspaceId: string | null) {
  return useLive<FleetSummaryView | null, ReturnType<typeof swrKeys.fleetSummary>>(
    workspaceId ? swrKeys.fleetSummary(workspaceId) : null,
    (data, db, [, ws], listener) => data.watchFleetSummary(db, ws, listener),
  );
}

/** Whether the workspace has any agent; asked only when `ask` (no summary yet), read once. */
export function useHasAgents(workspaceId: string, ask: boolean) {
  return useSWR(ask ? swrKeys.hasAgents(workspaceId) : null, ([, ws]) => withData((data, db) => data.fetchHasAgents(db, ws)));
}
