// Wiring only: each export binds a trigger or callable to its handler. Handlers live beside their
// pure logic in one folder per capability (see docs/architecture.md):
//   ingest/      where an agent report enters (ingestReport)
//   agents/      enrollment: create, rotate, revoke, delete
//   workspaces/  a user's first workspace and the membership mirror
import { triggerPaths } from '@vigil/schema';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onCall } from 'firebase-functions/v2/https';
import { createAgent as createAgentHandler } from './agents/create-agent.js';
import { deleteAgent as deleteAgentHandler } from './agents/delete-agent.js';
import { revokeAgent as revokeAgentHandler } from './agents/revoke-agent.js';
import { rotateAgentKey as rotateAgentKeyHandler } from './agents/rotate-agent-key.js';
import { floorWrite } from './bench/floor-write.js';
import { ingestReport as ingestReportHandler } from './ingest/ingest-report.js';
import { isEmulator } from './shared/runtime.js';
import { bootstrapWorkspace as bootstrapWorkspaceHandler } from './workspaces/bootstrap-workspace.js';
import { onMemberWritten as onMemberWrittenHandler } from './workspaces/on-member-written.js';

setGlobalOptions({ region: 'us-central1', maxInstances: 10 });

// Agents authenticate with their own key header, not a Firebase ID token; CORS off: no browser calls it.
export const ingestReport = onCall({ cors: false }, ingestReportHandler);

export const createAgent = onCall(createAgentHandler);
export const rotateAgentKey = onCall(rotateAgentKeyHandler);
export const revokeAgent = onCall(revokeAgentHandler);
export const deleteAgent = onCall(deleteAgentHandler);

export const bootstrapWorkspace = onCall(bootstrapWorkspaceHandler);
export const onMemberWritten = onDocumentWritten(triggerPaths.member, onMemberWrittenHandler);

// Benchmark floor (bench/ingest.mjs): present only in the emulator, so deploy never sees it.
export const benchFloorWrite = isEmulator() ? onCall({ cors: false }, floorWrite) : undefined;
