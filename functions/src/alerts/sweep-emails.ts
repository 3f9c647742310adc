// Scheduled every minute: finishes every email the trigger could not. It finds the unfinished ones
// (event emails pending, sending or retrying; hour summaries likewise) with one query each, and
// tries those that are due (email-delivery.ts): a pending email its trigger never claimed, a retry
// whose time has come, a claim whose lease expired, an hour's summary once the hour is over. Each
// attempt claims in a transaction, so a sweep and a trigger (or two sweeps) never send one twice.
import { UNFINISHED_EMAIL_STATES } from '@vigil/schema';
import { logger } from 'firebase-functions';
import { firestore } from '../firebase/admin.js';
import { deliverEventEmail, eventEmailDue, type DeliveryResult } from './deliver-event-email.js';
import { deliverHourSummary, hourSummaryDue } from './deliver-hour-summary.js';

/** Attempts per run: the rest wait a minute, so one run stays well inside its timeout. */
export const SWEEP_BATCH = 100;

/** workspaces/{ws}/<collection>/{id} → ws, or undefined for a same-named collection elsewhere. */
function workspaceOf(path: string, collection: string): string | undefined {
  const parts = path.split('/');
  return parts.length === 4 && parts[0] === 'workspaces' && parts[2] === collection ? parts[1] : undefined;
}

export async function sweepEmails(nowMs = Date.now(), options: { batch?: number } = {}): Promise<Record<string, number>> {
  const db = firestore();
  const batch = options.batch ?? SWEEP_BATCH;
  const results: Record<string, number> = {};
  const count = (result: DeliveryResult) => {
    results[result] = (results[result] ?? 0) + 1;
  };

  const events = await db
    .collectionGroup('events')
    .where('email.state', 'in', [...UNFINISHED_EMAIL_STATES])
    .get();
  const dueEvents = events.docs.filter((doc) => workspaceOf(doc.ref.path, 'events') && eventEmailDue(doc, nowMs)).slice(0, batch);
  for (const doc of dueEvents) {
    count(await deliverEventEmail(workspaceOf(doc.ref.path, 'events')!, doc.id, { by: 'sweep', nowMs }));
  }

  const hours = await db
    .collectionGroup('emailHours')
    .where('summary.state', 'in', [...UNFINISHED_EMAIL_STATES])
    .get();
  const dueHours = hours.docs.filter((doc) => workspaceOf(doc.ref.path, 'emailHours') && hourSummaryDue(doc, nowMs)).slice(0, batch);
  for (const doc of dueHours) {
    count(await deliverHourSummary(workspaceOf(doc.ref.path, 'emailHours')!, doc.id, nowMs));
  }

  if (dueEvents.length + dueHours.length > 0) logger.info('email sweep', { unfinished: events.size, summaries: hours.size, ...results });
  return results;
}
