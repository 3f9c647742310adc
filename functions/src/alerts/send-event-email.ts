// Trigger on workspaces/{ws}/events/{eventId}: where an event becomes an email, at once. The attempt
// itself (claim with a lease, verified recipients, hourly cap, send, outcome) is deliverEventEmail's,
// shared with the sweep that retries what this run could not finish. Outcomes are recorded on the
// event, never thrown.
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { FirestoreEvent } from 'firebase-functions/v2/firestore';
import { deliverEventEmail } from './deliver-event-email.js';

type Params = { workspaceId: string; eventId: string };

export async function sendEventEmail(event: FirestoreEvent<QueryDocumentSnapshot | undefined, Params>): Promise<void> {
  await deliverEventEmail(event.params.workspaceId, event.params.eventId, { by: 'trigger' });
}
