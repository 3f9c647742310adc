// Events: feeds (filtered, paged), the latest few (live), the open count, acknowledgement.
import {
  collection,
  doc,
  getCountFromServer,
  getDocs,
  limit,
  onSnapshot,
  orderBy,
  query,
  serverTimestamp,
  startAfter,
  updateDoc,
  where,
  type DocumentSnapshot,
  type Firestore,
  type QueryConstraint,
  type Unsubscribe,
} from 'firebase/firestore';
import { eventConditions, EVENTS_ORDER, type EventFilters } from '../domain/event-filters';
import { eventFromDoc, type EventView } from '../model/event';
import { paths } from '@vigil/schema/constants';
import type { Listener } from './agents';
import { markOnce } from '../telemetry/perf-mark';
import { countAggregation, countQueryRead } from './read-counter';
import { OPEN_EVENTS_COUNTED } from '../domain/overview-figures';

export type { EventFilters };

/** Where a page ends; pass it back to read the next one. Opaque to callers. */
export type EventsCursor = DocumentSnapshot;

export interface EventsPage {
  events: EventView[];
  next: EventsCursor | null;
}

// The conditions of domain/event-filters.ts, each combination of which has its composite index
// with createdAt descending (firestore.indexes.json; event-filters.test.ts checks).
function filterConstraints(filters: EventFilters): QueryConstraint[] {
  return eventConditions(filters).map((condition) => where(condition.field, condition.op, condition.value));
}

function toEvents(docs: DocumentSnapshot[]): EventView[] {
  return docs.flatMap((snapshot) => {
    const event = eventFromDoc(snapshot.id, snapshot.data() ?? {});
    return event ? [event] : [];
  });
}

export async function fetchEventsPage(
  db: Firestore,
  workspaceId: string,
  filters: EventFilters,
  pageSize: number,
  after: EventsCursor | null,
): Promise<EventsPage> {
  const constraints = [
    ...filterConstraints(filters),
    orderBy(EVENTS_ORDER.field, EVENTS_ORDER.direction),
    ...(after ? [startAfter(after)] : []),
    limit(pageSize),
  ];
  const snapshot = await getDocs(query(collection(db, paths.events(workspaceId)), ...constraints));
  countQueryRead(snapshot.size);
  const last = snapshot.docs.at(-1);
  return { events: toEvents(snapshot.docs), next: snapshot.size === pageSize && last ? last : null };
}

/** The newest `count` events, live. */
export function watchLatestEvents(db: Firestore, workspaceId: string, count: number, listener: Listener<EventView[]>): Unsubscribe {
  let first = true;
  return onSnapshot(
    query(collection(db, paths.events(workspaceId)), orderBy('createdAt', 'desc'), limit(count)),
    (snapshot) => {
      if (first) markOnce('vigil:latest-events');
      countQueryRead(first ? snapshot.size : snapshot.docChanges().length, { firstSnapshot: first });
      first = false;
      listener.next(toEvents(snapshot.docs));
    },
    listener.error,
  );
}

/**
 * Events nobody has acknowledged yet, at most OPEN_EVENTS_COUNTED: a count aggregation bills one
 * read per 1,000 index entries, so a load's reads do not grow with a backlog.
 */
export async function countOpenEvents(db: Firestore, workspaceId: string): Promise<number> {
  const snapshot = await getCountFromServer(
    query(collection(db, paths.events(workspaceId)), where('acknowledgedAt', '==', null), limit(OPEN_EVENTS_COUNTED)),
  );
  const count = snapshot.data().count;
  countAggregation(count);
  return count;
}

/** Signed with the caller's uid and the server's clock, as the rules demand. */
export async function acknowledgeEvent(db: Firestore, workspaceId: string, eventId: string, uid: string): Promise<void> {
  await updateDoc(doc(db, paths.event(workspaceId, eventId)), { acknowledgedBy: uid, acknowledgedAt: serverTimestamp() });
}
