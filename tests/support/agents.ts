// Helpers for tests that need an enrolled agent: a signed-in owner, their workspace, a key.
import { ENROLLMENT_TOKEN_HEADER, enrollAgentResultSchema, type CreateAgentResult, type ReportInput } from '@vigil/schema';
import type { Firestore } from 'firebase-admin/firestore';
import { createHash, randomBytes } from 'node:crypto';
import { validReport } from '../../schema/src/test-fixtures.js';
import { callRaw, newSignedInClient, type SignedInClient } from './emulators.js';

/** An agent made by createAgent and enrolled with its install command's token, as its host does. */
export interface EnrolledAgent extends CreateAgentResult {
  owner: SignedInClient;
  workspaceId: string;
  /** The key the enrollment issued (the host's key file). */
  key: string;
  keyPrefix: string;
  /** The machineId it enrolled with. */
  machineId: string;
}

export async function ownerWithWorkspace(prefix = 'owner', options: { verified?: boolean } = {}) {
  const owner = await newSignedInClient(prefix, options);
  const { workspaceId } = await owner.call<{ workspaceId: string }>('bootstrapWorkspace');
  return { owner, workspaceId };
}

/**
 * createAgent, then the enrollment its install command makes (install.sh --token), with a machine
 * of its own. `existing.created`: an agent createAgent made already, enrolled now.
 */
export async function enrollAgent(
  name = 'web-1',
  existing?: { owner: SignedInClient; workspaceId: string; created?: CreateAgentResult },
): Promise<EnrolledAgent> {
  const { owner, workspaceId } = existing ?? (await ownerWithWorkspace());
  const created = existing?.created ?? (await owner.call<CreateAgentResult>('createAgent', { workspaceId, name }));
  const machineId = createHash('sha256')
    .update(`vigil:${randomBytes(16).toString('hex')}`)
    .digest('hex');
  const enrolled = await callRaw('enrollAgent', { data: { machineId, hostname: name } }, { [ENROLLMENT_TOKEN_HEADER]: created.token });
  const result = enrollAgentResultSchema.safeParse(enrolled.json?.result);
  if (!result.success || result.data.agentId !== created.agentId) {
    throw new Error(`enrolling the agent createAgent made failed: HTTP ${enrolled.status} ${enrolled.json?.error?.message ?? ''}`);
  }
  return { ...created, owner, workspaceId, key: result.data.key, keyPrefix: result.data.keyPrefix, machineId };
}

let reportCounter = 0;

/** A valid report with a fresh reportId (and collectedAt a little later than the previous one). */
export function freshReport(overrides: Partial<ReportInput> = {}): ReportInput {
  reportCounter += 1;
  return {
    ...validReport(),
    reportId: `r-${Date.now().toString(36)}-${reportCounter.toString().padStart(6, '0')}`,
    collectedAt: new Date(Date.now() + reportCounter).toISOString(),
    ...overrides,
  };
}

export function sendReport(key: string | undefined, report: unknown) {
  return callRaw('ingestReport', { data: report }, key === undefined ? {} : { 'x-vigil-key': key });
}

/** Every document under the given roots, path → data, to prove that bad input changed nothing. */
export async function snapshotDocuments(db: Firestore, roots: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  async function walkCollection(path: string) {
    const refs = await db.collection(path).listDocuments();
    for (const ref of refs) {
      const snapshot = await ref.get();
      if (snapshot.exists) found.set(ref.path, JSON.stringify(snapshot.data()) + String(snapshot.updateTime?.toMillis()));
      for (const sub of await ref.listCollections()) await walkCollection(sub.path);
    }
  }
  for (const root of roots) await walkCollection(root);
  return found;
}
