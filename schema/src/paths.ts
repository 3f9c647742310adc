// Firestore paths in one module, so rules, functions, web and tests agree on the tree.
export const paths = {
  user: (uid: string) => `users/${uid}`,
  workspaces: () => 'workspaces',
  workspace: (ws: string) => `workspaces/${ws}`,
  members: (ws: string) => `workspaces/${ws}/members`,
  member: (ws: string, uid: string) => `workspaces/${ws}/members/${uid}`,
  agents: (ws: string) => `workspaces/${ws}/agents`,
  agent: (ws: string, agentId: string) => `workspaces/${ws}/agents/${agentId}`,
  agentState: (ws: string, agentId: string) => `workspaces/${ws}/agents/${agentId}/state/current`,
  testAcks: (ws: string, agentId: string) => `workspaces/${ws}/agents/${agentId}/acks`,
  testAck: (ws: string, agentId: string, solutionId: string, testId: string) =>
    `workspaces/${ws}/agents/${agentId}/acks/${solutionId}__${testId}`,
  reports: (ws: string, agentId: string) => `workspaces/${ws}/agents/${agentId}/reports`,
  report: (ws: string, agentId: string, reportId: string) => `workspaces/${ws}/agents/${agentId}/reports/${reportId}`,
  events: (ws: string) => `workspaces/${ws}/events`,
  event: (ws: string, eventId: string) => `workspaces/${ws}/events/${eventId}`,
  agentKeys: () => 'agentKeys',
  agentKey: (keyId: string) => `agentKeys/${keyId}`,
} as const;

/** Trigger path patterns, with the wildcard names the handlers read from `event.params`. */
export const triggerPaths = {
  workspace: 'workspaces/{workspaceId}',
  member: 'workspaces/{workspaceId}/members/{uid}',
  report: 'workspaces/{workspaceId}/agents/{agentId}/reports/{reportId}',
  event: 'workspaces/{workspaceId}/events/{eventId}',
} as const;
