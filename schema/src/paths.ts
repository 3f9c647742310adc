// Firestore paths in one module, so rules, functions, web and tests agree on the tree. Every segment
// is checked (documentIdProblem, schema/src/document-id.ts): a bad id throws here rather than pointing a
// read or write at another document or collection.
import { documentIdProblem } from './document-id.js';

/**
 * Between solution id and test id in a check mark's id. Solution and test ids are slugs
 * (`[a-z0-9][a-z0-9_.-]*`), which never contain it, so every (solution, test) pair has its own id;
 * "__" did not ("a__b" + "c" and "a" + "b__c" were one document). firestore.rules checks the same.
 */
export const ACK_ID_SEPARATOR = '~';

/** `value`, if it is a valid document id; otherwise throws naming the argument. */
function id(name: string, value: string): string {
  const problem = documentIdProblem(value);
  if (problem === undefined) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value);
  throw new Error(`paths: ${name} ${shown} is not a document id: it ${problem}`);
}

function ackPart(name: string, value: string): string {
  if (id(name, value).includes(ACK_ID_SEPARATOR)) {
    throw new Error(`paths: ${name} ${JSON.stringify(value.slice(0, 80))} must not contain "${ACK_ID_SEPARATOR}"`);
  }
  return value;
}

const workspace = (ws: string) => `workspaces/${id('workspaceId', ws)}`;
const agent = (ws: string, agentId: string) => `${workspace(ws)}/agents/${id('agentId', agentId)}`;

export const paths = {
  user: (uid: string) => `users/${id('uid', uid)}`,
  workspaces: () => 'workspaces',
  workspace,
  members: (ws: string) => `${workspace(ws)}/members`,
  member: (ws: string, uid: string) => `${workspace(ws)}/members/${id('uid', uid)}`,
  agents: (ws: string) => `${workspace(ws)}/agents`,
  agent,
  agentState: (ws: string, agentId: string) => `${agent(ws, agentId)}/state/current`,
  testAcks: (ws: string, agentId: string) => `${agent(ws, agentId)}/acks`,
  testAck: (ws: string, agentId: string, solutionId: string, testId: string) =>
    `${agent(ws, agentId)}/acks/${ackPart('solutionId', solutionId)}${ACK_ID_SEPARATOR}${ackPart('testId', testId)}`,
  reports: (ws: string, agentId: string) => `${agent(ws, agentId)}/reports`,
  report: (ws: string, agentId: string, reportId: string) => `${agent(ws, agentId)}/reports/${id('reportId', reportId)}`,
  /** Written only by the summarizeFleets schedule (fleetSummarySchema); members read it. */
  fleetSummary: (ws: string) => `${workspace(ws)}/summary/fleet`,
  events: (ws: string) => `${workspace(ws)}/events`,
  event: (ws: string, eventId: string) => `${workspace(ws)}/events/${id('eventId', eventId)}`,
  /** Functions only: the hourly email cap (emailHourSchema) and the digest runs (digestRunSchema). */
  emailHours: (ws: string) => `${workspace(ws)}/emailHours`,
  emailHour: (ws: string, hour: string) => `${workspace(ws)}/emailHours/${id('hour', hour)}`,
  digests: (ws: string) => `${workspace(ws)}/digests`,
  digest: (ws: string, runId: string) => `${workspace(ws)}/digests/${id('runId', runId)}`,
  /** Functions only (rules deny clients): the offline detector's one-off backfill of offlineAt on older agent documents. */
  silenceBackfill: () => 'system/silenceBackfill',
  /** Functions only (rules deny clients): the summarizeFleets schedule's cursor (changes seen up to) and its run lease. */
  fleetSummaryCursor: () => 'system/fleetSummaries',
  /** Functions only (rules deny clients): pruneOldData's one-off pass over documents written before expireAt existed. */
  retentionBackfill: () => 'system/retentionBackfill',
  /** Functions only (clients read, owners and admins): teams' invitations (invitationSchema). */
  invitations: (ws: string) => `${workspace(ws)}/invitations`,
  invitation: (ws: string, invitationId: string) => `${workspace(ws)}/invitations/${id('invitationId', invitationId)}`,
  /** Functions only (rules deny clients): the invitation emails a workspace sent per UTC day. */
  invitationQuota: (ws: string) => `${workspace(ws)}/limits/invitations`,
  /** Functions only (owners and admins read): the audit log (auditEntrySchema). */
  audit: (ws: string) => `${workspace(ws)}/audit`,
  auditEntry: (ws: string, entryId: string) => `${workspace(ws)}/audit/${id('entryId', entryId)}`,
  agentKeys: () => 'agentKeys',
  agentKey: (keyId: string) => `agentKeys/${id('keyId', keyId)}`,
  /** Functions only (clients read, owners and admins): enrollment tokens' metadata (enrollmentTokenSchema), never their secret. */
  enrollmentTokens: (ws: string) => `${workspace(ws)}/enrollmentTokens`,
  enrollmentToken: (ws: string, tokenId: string) => `${workspace(ws)}/enrollmentTokens/${id('tokenId', tokenId)}`,
  enrollmentSecrets: () => 'enrollmentSecrets',
  /** Functions only (rules deny clients): the hash of each enrollment token's secret (enrollmentSecretSchema). */
  enrollmentSecret: (tokenId: string) => `enrollmentSecrets/${id('tokenId', tokenId)}`,
} as const;

/** Trigger path patterns, with the wildcard names the handlers read from `event.params`. */
export const triggerPaths = {
  workspace: 'workspaces/{workspaceId}',
  member: 'workspaces/{workspaceId}/members/{uid}',
  report: 'workspaces/{workspaceId}/agents/{agentId}/reports/{reportId}',
  event: 'workspaces/{workspaceId}/events/{eventId}',
  testAck: 'workspaces/{workspaceId}/agents/{agentId}/acks/{ackId}',
} as const;
