// lastActiveAt on each of a user's member documents, which the members page shows: set by
// bootstrapWorkspace, which the dashboard calls after every sign-in. The workspaces come from the
// users/{uid} mirror (a hint only: a member document that no longer exists is skipped, never made).
import { documentIdProblem, paths } from '@vigil/schema';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';

/** More memberships than anyone has: a bound on the writes one sign-in makes. */
const MAX_MARKED = 100;

export async function markActive(db: Firestore, uid: string): Promise<void> {
  const user = await db.doc(paths.user(uid)).get();
  const mirror: unknown = user.get('workspaces');
  const ids = mirror && typeof mirror === 'object' ? Object.keys(mirror).filter((id) => documentIdProblem(id) === undefined) : [];
  const results = await Promise.allSettled(
    ids.slice(0, MAX_MARKED).map((workspaceId) => db.doc(paths.member(workspaceId, uid)).update({ lastActiveAt: FieldValue.serverTimestamp() })),
  );
  // NOT_FOUND (5): the mirror still lists a workspace the user left or was removed from.
  const failed = results.filter((result) => result.status === 'rejected' && (result.reason as { code?: unknown }).code !== 5).length;
  if (failed > 0) logger.warn('lastActiveAt not set on some memberships', { failed });
}
