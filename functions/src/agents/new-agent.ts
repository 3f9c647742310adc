// What every way of making an agent shares: createAgent (a person in the dashboard) and enrollAgent
// (a host with an enrollment token, functions/src/enrollment/) both check the workspace's agent cap
// inside their transaction and write the same first agent document.
import { DEFAULT_WORKSPACE_SETTINGS, paths } from '@vigil/schema';
import { FieldValue, type DocumentSnapshot, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { maxAgentsPerWorkspace } from '../params.js';
import { agentCapRefusal, agentLimit } from './agent-cap.js';
import { keyRotationDaysSetting } from '../workspaces/agent-settings.js';

/**
 * Refuses (resource-exhausted) one more agent in a workspace at its limit. Counts with one
 * aggregation query inside `tx`: one read per 1,000 agents, no agent document read.
 */
export async function requireAgentRoom(db: Firestore, tx: Transaction, workspaceId: string, workspace: DocumentSnapshot): Promise<void> {
  const { limit, ignoredOverride } = agentLimit(maxAgentsPerWorkspace.value(), workspace.get('maxAgents'));
  if (ignoredOverride !== undefined) {
    logger.warn('workspace maxAgents is not a whole number of 0 or more; MAX_AGENTS_PER_WORKSPACE applies', {
      workspaceId,
      maxAgents: String(ignoredOverride),
    });
  }
  const agents = await tx.get(db.collection(paths.agents(workspaceId)).count());
  const refusal = agentCapRefusal(agents.data().count, limit);
  if (refusal) throw refusal;
}

export interface NewAgent {
  name: string;
  description: string;
  createdBy: string;
  /** null: an agent createAgent made, whose key its host's enrollment issues (enrollment/bound-token.ts). */
  keyId: string | null;
  keyPrefix: string | null;
}

/** The workspace's reporting interval as a new agent is told it (the default when unset). */
export function workspaceInterval(workspace: DocumentSnapshot): number {
  const interval = workspace.get('settings.reportingIntervalSeconds') as unknown;
  return typeof interval === 'number' ? interval : DEFAULT_WORKSPACE_SETTINGS.reportingIntervalSeconds;
}

/** A new agent's document: never seen, the workspace's interval, threshold and retention copied onto it. */
export function newAgentFields(workspace: DocumentSnapshot, agent: NewAgent) {
  const threshold = workspace.get('settings.failedTestThreshold') as unknown;
  const retention = workspace.get('settings.retentionDays') as unknown;
  return {
    name: agent.name,
    description: agent.description,
    status: 'never-seen',
    createdAt: FieldValue.serverTimestamp(),
    createdBy: agent.createdBy,
    intervalSeconds: workspaceInterval(workspace),
    failedTestThreshold: typeof threshold === 'number' ? threshold : DEFAULT_WORKSPACE_SETTINGS.failedTestThreshold,
    retentionDays: typeof retention === 'number' ? retention : DEFAULT_WORKSPACE_SETTINGS.retentionDays,
    // Automatic key rotation (null: off), kept in step by onWorkspaceWritten like the others.
    keyRotationDays: keyRotationDaysSetting(workspace.get('settings.keyRotationDays')),
    keyId: agent.keyId,
    keyPrefix: agent.keyPrefix,
    revokedAt: null,
    lastSeenAt: null,
    // Never seen: no silence deadline until its first report (ingest sets it).
    offlineAt: null,
    lastReportId: null,
    lastCollectedAt: null,
    agentVersion: null,
    host: null,
    summary: { solutions: [], testsPassed: 0, testsFailed: 0 },
    // A new agent is something the fleet summary counts.
    changedAt: FieldValue.serverTimestamp(),
  };
}
