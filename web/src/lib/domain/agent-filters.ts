// Searching and filtering the agents list. Pure.
import type { AgentStatus } from '@vigil/schema';
import type { AgentView } from '../model/agent';

export type StatusFilter = AgentStatus | 'revoked' | 'all';

export interface AgentFilters {
  search: string;
  status: StatusFilter;
  /** A solution id, or '' for any. */
  solution: string;
  failingOnly: boolean;
}

export const NO_FILTERS: AgentFilters = { search: '', status: 'all', solution: '', failingOnly: false };

function matchesSearch(agent: AgentView, words: string[]): boolean {
  const haystack = [agent.name, agent.description, agent.host?.hostname, agent.host?.os, agent.id, agent.agentVersion]
    .filter((part): part is string => typeof part === 'string')
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function filterAgents(agents: readonly AgentView[], filters: AgentFilters): AgentView[] {
  const words = filters.search.toLowerCase().split(/\s+/).filter(Boolean);
  return agents.filter((agent) => {
    // A revoked agent shows as Revoked (its stored status is frozen), so only that filter finds it.
    if (filters.status === 'revoked' ? !agent.revokedAt : filters.status !== 'all' && (agent.revokedAt || agent.status !== filters.status))
      return false;
    if (filters.solution && !agent.solutions.includes(filters.solution)) return false;
    if (filters.failingOnly && agent.testsFailed === 0) return false;
    return matchesSearch(agent, words);
  });
}

/** Every solution some agent has, for the filter's options. */
export function solutionsInUse(agents: readonly AgentView[]): string[] {
  return [...new Set(agents.flatMap((agent) => agent.solutions))].sort();
}
