// The cap on agents per workspace: MAX_AGENTS_PER_WORKSPACE, or the workspace's own `maxAgents`
// (set by the operator with the Admin SDK). createAgent counts with one aggregation query and asks
// these two functions what to do.
import { workspaceSchema } from '@vigil/schema';
import { HttpsError } from 'firebase-functions/v2/https';

const overrideSchema = workspaceSchema.shape.maxAgents;

export interface AgentLimit {
  limit: number;
  /** A `maxAgents` the workspace holds but that is not a whole number of 0 or more: ignored. */
  ignoredOverride?: unknown;
}

/** The limit in force for one workspace, from the deploy parameter and the workspace's override. */
export function agentLimit(parameter: number, override: unknown): AgentLimit {
  if (override === undefined) return { limit: parameter };
  const parsed = overrideSchema.safeParse(override);
  if (parsed.success && parsed.data !== undefined) return { limit: parsed.data };
  return { limit: parameter, ignoredOverride: override };
}

/** The refusal of one more agent in a workspace that holds `agents` already, or undefined. */
export function agentCapRefusal(agents: number, limit: number): HttpsError | undefined {
  if (agents < limit) return undefined;
  const noun = limit === 1 ? 'agent' : 'agents';
  const message =
    limit === 0
      ? 'This workspace may not enroll agents. Ask the operator of this Vigil to raise the limit.'
      : `This workspace has reached its limit of ${limit.toLocaleString('en-US')} ${noun}. ` +
        'Delete an agent it no longer needs, or ask the operator of this Vigil to raise the limit.';
  return new HttpsError('resource-exhausted', message, { limit, agents });
}
