// Dashboard URLs, shared by emails (functions) and pages (web). The dashboard is a static export,
// so ids travel in the query string rather than in dynamic path segments.
function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

export const dashboardLinks = {
  overview: (ws: string) => `/${query({ ws })}`,
  agents: (ws: string) => `/agents/${query({ ws })}`,
  agent: (ws: string, agentId: string) => `/agent/${query({ ws, agent: agentId })}`,
  solution: (ws: string, agentId: string, solutionId: string) => `/solution/${query({ ws, agent: agentId, solution: solutionId })}`,
  /** The events page; `label` is one `key=value`. */
  events: (ws: string, filters: { agent?: string; kind?: string; solution?: string; label?: string } = {}) => `/events/${query({ ws, ...filters })}`,
  settings: (ws: string) => `/settings/${query({ ws })}`,
  /** Enrollment tokens (owners and admins). */
  enrollment: (ws: string) => `/enrollment/${query({ ws })}`,
  members: (ws: string) => `/members/${query({ ws })}`,
  /** The signed-in user's own account (no workspace): address, verification, deleting the account. */
  account: () => '/account/',
  /** The audit log; each filter is one query parameter (person = a uid, dates as YYYY-MM-DD). */
  activity: (ws: string, filters: { person?: string; action?: string; agent?: string; from?: string; to?: string } = {}) =>
    `/activity/${query({ ws, ...filters })}`,
} as const;
