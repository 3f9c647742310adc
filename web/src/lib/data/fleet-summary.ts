// The fleet summary the overview shows (one document, whatever the fleet's size), and whether a
// workspace has any agent at all, asked only while it has no summary yet.
import { collection, doc, getDocs, limit, onSnapshot, query, type Firestore, type Unsubscribe } from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { fleetSummaryFromDoc, type FleetSummaryView } from '../model/fleet-summary';
import { markOnce } from '../telemetry/perf-mark';
import type { Listener } from './agents';
import { countDocumentRead, countQueryRead } from './read-counter';

/**
 * workspaces/{ws}/summary/fleet, live: one read at first, then one each time the summarizeFleets
 * schedule rewrites it (at most once a minute, only when a figure changed). Null while none exists.
 */
export function watchFleetSummary(db: Firestore, workspaceId: string, listener: Listener<FleetSummaryView | null>): Unsubscribe {
  return onSnapshot(
    doc(db, paths.fleetSummary(workspaceId)),
    (snapshot) => {
      markOnce('vigil:fleet-summary');
      countDocumentRead();
      listener.next(snapshot.exists() ? fleetSummaryFromDoc(snapshot.data()) : null);
    },
    listener.error,
  );
}

/**
 * Whether the workspace has an agent: one document at most (one read). The overview asks only when
 * there is no summary, to tell a new workspace from one whose first summary is being computed.
 */
export async function fetchHasAgents(db: Firestore, workspaceId: string): Promise<boolean> {
  const snapshot = await getDocs(query(collection(db, paths.agents(workspaceId)), limit(1)));
  countQueryRead(snapshot.size);
  return !snapshot.empty;
}
