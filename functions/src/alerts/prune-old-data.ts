// Scheduled daily: deletes reports and events older than each workspace's retentionDays, in pages
// of ids only (select() fetches no fields) through one BulkWriter. Never deleted: an agent's state
// and its newest report (agent.lastReportId), even when older than the cut-off.
import { paths } from '@vigil/schema';
import { Timestamp, type BulkWriter, type Query, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { firestore } from '../firebase/admin.js';
import { retentionCutoff, retentionDays } from './retention.js';

const PAGE = 1000;

/**
 * Deletes every document the query finds, a page at a time. Pages fetch only the order field (a
 * cursor built from a snapshot must hold it), and the cursor moves past the last document seen.
 */
async function deleteMatching(query: Query, orderField: string, writer: BulkWriter, keep: Set<string>, pageSize: number): Promise<number> {
  let deleted = 0;
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    const page = await (last ? query.startAfter(last) : query).limit(pageSize).select(orderField).get();
    for (const doc of page.docs) {
      if (keep.has(doc.id)) continue;
      void writer.delete(doc.ref);
      deleted += 1;
    }
    if (page.size < pageSize) return deleted;
    last = page.docs[page.docs.length - 1];
  }
}

export async function pruneOldData(
  nowMs = Date.now(),
  { pageSize = PAGE }: { pageSize?: number } = {},
): Promise<{ reports: number; events: number; workspaces: number }> {
  const db = firestore();
  const writer = db.bulkWriter();
  let reports = 0;
  let events = 0;
  const workspaces = await db.collection(paths.workspaces()).select('settings.retentionDays').get();
  for (const workspace of workspaces.docs) {
    const days = retentionDays(workspace.get('settings.retentionDays'));
    const cutoff = Timestamp.fromDate(retentionCutoff(nowMs, days));
    const agents = await db.collection(paths.agents(workspace.id)).select('lastReportId').get();
    for (const agent of agents.docs) {
      const newest = agent.get('lastReportId');
      const keep = new Set(typeof newest === 'string' ? [newest] : []);
      const old = db.collection(paths.reports(workspace.id, agent.id)).where('receivedAt', '<', cutoff).orderBy('receivedAt');
      reports += await deleteMatching(old, 'receivedAt', writer, keep, pageSize);
    }
    const oldEvents = db.collection(paths.events(workspace.id)).where('createdAt', '<', cutoff).orderBy('createdAt');
    events += await deleteMatching(oldEvents, 'createdAt', writer, new Set(), pageSize);
  }
  await writer.close();
  logger.info('retention applied', { workspaces: workspaces.size, reportsDeleted: reports, eventsDeleted: events });
  return { reports, events, workspaces: workspaces.size };
}
