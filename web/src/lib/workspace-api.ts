// Data access for workspaces. The SDK clients are parameters, so callers (and
// tests) choose them.
import { doc, getDoc, type Firestore } from 'firebase/firestore';
import { httpsCallable, type Functions } from 'firebase/functions';
import { parseBootstrapResult, workspaceFromDoc, type BootstrapResult, type Workspace } from './workspace';

/** Finds, or on first sign-in creates, the signed-in user's workspace. */
export async function bootstrapWorkspace(functions: Functions): Promise<BootstrapResult> {
  const callable = httpsCallable<void, unknown>(functions, 'bootstrapWorkspace');
  const result = await callable();
  return parseBootstrapResult(result.data);
}

/** Resolves to null when the document does not exist. */
export async function fetchWorkspace(db: Firestore, workspaceId: string): Promise<Workspace | null> {
  const snapshot = await getDoc(doc(db, 'workspaces', workspaceId));
  return snapshot.exists() ? workspaceFromDoc(snapshot.id, snapshot.data()) : null;
}
