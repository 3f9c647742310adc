// Trigger on workspaces/{ws}: when the reporting interval or the failed-test threshold changes, every
// agent of the workspace gets the new value (agents read their interval from the ingest reply).
import { paths } from '@vigil/schema';
import { logger } from 'firebase-functions';
import type { Change, DocumentSnapshot, FirestoreEvent } from 'firebase-functions/v2/firestore';
import { firestore } from '../firebase/admin.js';
import { copiedSettingsChange } from './agent-settings.js';

export async function onWorkspaceWritten(event: FirestoreEvent<Change<DocumentSnapshot> | undefined, { workspaceId: string }>): Promise<void> {
  const { workspaceId } = event.params;
  const db = firestore();
  // Read the workspace as it is now: a late or repeated event then writes the current values.
  const workspace = await db.doc(paths.workspace(workspaceId)).get();
  if (!workspace.exists) return;
  const change = copiedSettingsChange(event.data?.before.get('settings'), workspace.get('settings'));
  if (!change) return;
  const agents = await db.collection(paths.agents(workspaceId)).select().get();
  const writer = db.bulkWriter();
  agents.docs.forEach((agent) => void writer.update(agent.ref, { ...change }));
  await writer.close();
  logger.info('workspace settings copied to agents', { workspaceId, agents: agents.size, ...change });
}
