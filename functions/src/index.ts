// Wiring only: each export binds a trigger or callable to its handler. Handlers live beside their
// pure logic in one folder per capability (see docs/architecture.md).
import { triggerPaths } from '@vigil/schema';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onCall } from 'firebase-functions/v2/https';
import { bootstrapWorkspace as bootstrapWorkspaceHandler } from './workspaces/bootstrap-workspace.js';
import { onMemberWritten as onMemberWrittenHandler } from './workspaces/on-member-written.js';

setGlobalOptions({ region: 'us-central1', maxInstances: 10 });

export const bootstrapWorkspace = onCall(bootstrapWorkspaceHandler);
export const onMemberWritten = onDocumentWritten(triggerPaths.member, onMemberWrittenHandler);
