// Every SWR key of the dashboard, in one place: a read hook and the write that must refresh it
// build the key here from the same inputs, so they cannot drift apart. A key is a tuple whose
// first element names the resource; SWR compares keys by their serialized value.
import type { AgentsCursor } from '../data/agents';
import type { AuditPage } from '../data/audit';
import type { EventFilters, EventsPage } from '../data/events';
import { filtersKey, type AgentFilters } from '../domain/agent-filters';
import { auditFiltersKey, type AuditFilters } from '../domain/audit-filters';
import { eventFiltersKey } from '../domain/event-filters';

export const swrKeys = {
  /** users/{uid}: the profile with the user's workspaces. */
  profile: (uid: string) => ['profile', uid] as const,
  /** The bootstrapWorkspace callable's reply for this user. */
  bootstrap: (uid: string) => ['bootstrap', uid] as const,
  /** The signed-in user's member document (role, notification preferences). */
  member: (workspaceId: string, uid: string) => ['member', workspaceId, uid] as const,
  /** Another member's email, for "acknowledged by". */
  memberEmail: (workspaceId: string, uid: string) => ['member-email', workspaceId, uid] as const,
  /** The workspace document (name, settings). */
  workspace: (workspaceId: string) => ['workspace', workspaceId] as const,
  /** The names of several workspaces for the switcher; the order of the ids does not matter. */
  workspaceNames: (workspaceIds: readonly string[]) => ['workspace-names', ...[...workspaceIds].sort()] as const,
  /** workspaces/{ws}/summary/fleet, what the overview shows. */
  fleetSummary: (workspaceId: string) => ['fleet-summary', workspaceId] as const,
  /** Whether the workspace has any agent (the overview asks while it has no summary yet). */
  hasAgents: (workspaceId: string) => ['has-agents', workspaceId] as const,
  /** A page of the agents list: the filters, then the cursor `after` where the previous page ended. */
  agentsPage: (workspaceId: string, filters: AgentFilters, after: AgentsCursor | null) =>
    ['agents-page', workspaceId, filtersKey(filters), after?.id ?? '', after] as const,
  /** How many agents match the agents list's filters. */
  agentsCount: (workspaceId: string, filters: AgentFilters) => ['agents-count', workspaceId, filtersKey(filters)] as const,
  /** The events page's agent search: agents whose name starts with `prefix`. */
  agentSearch: (workspaceId: string, prefix: string) => ['agent-search', workspaceId, prefix] as const,
  /** One agent read once (not live), for its name. */
  agentOnce: (workspaceId: string, agentId: string) => ['agent-once', workspaceId, agentId] as const,
  agent: (workspaceId: string, agentId: string) => ['agent', workspaceId, agentId] as const,
  /** An agent's state/current. */
  agentState: (workspaceId: string, agentId: string) => ['agent-state', workspaceId, agentId] as const,
  latestEvents: (workspaceId: string, count: number) => ['latest-events', workspaceId, String(count)] as const,
  /** `version` changes when the latest events change, which recounts. */
  openEventCount: (workspaceId: string, version: string) => ['open-events', workspaceId, version] as const,
  /** Page `index` of the filtered feed, read from the cursor `after` where the previous page ended. */
  eventsPage: (workspaceId: string, filters: EventFilters, index: number, after: EventsPage['next']) =>
    ['events', workspaceId, eventFiltersKey(filters), index, after] as const,
  /** `configurationKey` is the live configuration shown, serialized: a change reads the list again. */
  configChanges: (workspaceId: string, agentId: string, solutionId: string, configurationKey: string) =>
    ['config-changes', workspaceId, agentId, solutionId, configurationKey] as const,
  /** The "checked" marks of one solution's tests on one agent. */
  testAcks: (workspaceId: string, agentId: string, solutionId: string) => ['test-acks', workspaceId, agentId, solutionId] as const,
  /** Every member document of the workspace (the Members page; read once, refreshed after each membership write). */
  members: (workspaceId: string) => ['members', workspaceId] as const,
  /** The workspace's pending and past invitations (owners and admins; read once, refreshed after each invitation write). */
  invitations: (workspaceId: string) => ['invitations', workspaceId] as const,
  /** Page `index` of the Activity page's filtered audit log, read from the cursor `after` where the previous page ended. */
  auditPage: (workspaceId: string, filters: AuditFilters, index: number, after: AuditPage['next']) =>
    ['audit-page', workspaceId, auditFiltersKey(filters), index, after] as const,
  /** The workspace's enrollment tokens (a listener: its writes need no refresh). */
  enrollmentTokens: (workspaceId: string) => ['enrollment-tokens', workspaceId] as const,
};

/** What a write makes stale: a key, or a matcher of keys (SWR's `mutate` takes either). */
export type StaleKey = readonly unknown[] | ((key: unknown) => boolean);

/** Matches every page, count and search of one workspace's agents list, whatever the filters and cursor. */
export function agentLists(workspaceId: string): (key: unknown) => boolean {
  const lists: readonly unknown[] = ['agents-page', 'agents-count', 'agent-search', 'agent-once'];
  return (key) => Array.isArray(key) && lists.includes(key[0]) && key[1] === workspaceId;
}

/**
 * What each dashboard write makes stale, read again once the write succeeds. Writes to what a
 * listener shows (one agent, events) need nothing: the listener delivers the change. The agents
 * list is read once a page, so every agent write refreshes its pages.
 */
export const staleAfter = {
  createAgent: (workspaceId: string) => [agentLists(workspaceId)],
  rotateAgentKey: (workspaceId: string) => [agentLists(workspaceId)],
  requestKeyRotation: (workspaceId: string) => [agentLists(workspaceId)],
  revokeAgent: (workspaceId: string) => [agentLists(workspaceId)],
  deleteAgent: (workspaceId: string) => [agentLists(workspaceId)],
  /** Labels show in the list's rows and filter it; the agent's page is a listener. */
  setAgentLabels: (workspaceId: string) => [agentLists(workspaceId)],
  markTestChecked: (workspaceId: string, agentId: string, solutionId: string) => [swrKeys.testAcks(workspaceId, agentId, solutionId)],
  undoTestCheck: (workspaceId: string, agentId: string, solutionId: string) => [swrKeys.testAcks(workspaceId, agentId, solutionId)],
  updateWorkspaceSettings: (workspaceId: string) => [swrKeys.workspace(workspaceId)],
  updateNotificationPreferences: (workspaceId: string, uid: string) => [swrKeys.member(workspaceId, uid)],
  inviteMember: (workspaceId: string) => [swrKeys.invitations(workspaceId)],
  resendInvitation: (workspaceId: string) => [swrKeys.invitations(workspaceId)],
  revokeInvitation: (workspaceId: string) => [swrKeys.invitations(workspaceId)],
  /** The list, and that member's own document, which is the session's role when it is the caller's. */
  setMemberRole: (workspaceId: string, uid: string) => [swrKeys.members(workspaceId), swrKeys.member(workspaceId, uid)],
  removeMember: (workspaceId: string) => [swrKeys.members(workspaceId)],
  /** The caller's member document and the list, both refused from now on (the page moves on at once). */
  leaveWorkspace: (workspaceId: string, uid: string) => [swrKeys.members(workspaceId), swrKeys.member(workspaceId, uid)],
};
