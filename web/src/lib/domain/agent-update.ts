// Whether an agent runs the version the dashboard serves, and why not (#15 item 5): the agents
// list's markers and the agent page's "Agent version" section. Pure: the served version comes in
// (lib/config/served-agent-version.ts in the pages, a literal in the tests).
import type { AGENT_UPDATE_STABLE_CHANNEL, AgentUpdateOutcome } from '@vigil/schema';
import type { AgentUpdateAttemptView, AgentView } from '../model/agent';

// The value lives in schema's report.ts, which the dashboard cannot import (zod); typed by it, so
// the compiler fails here if it ever changes.
export const STABLE_CHANNEL: typeof AGENT_UPDATE_STABLE_CHANNEL = 'stable';

export type UpdateMarkerKind = 'out-of-date' | 'update-failed' | 'rolled-back';

/** A badge's words (`label`) and the sentence that says why (`description`, read by screen readers and on hover). */
export interface UpdateMarker {
  kind: UpdateMarkerKind;
  label: string;
  description: string;
}

type UpdateFacts = Pick<AgentView, 'agentVersion' | 'update'>;

/** Out of date: it reported a version, and not the one served. An agent that never reported has no version to judge. */
export function isOutOfDate(agent: Pick<AgentView, 'agentVersion'>, servedVersion: string): boolean {
  return agent.agentVersion !== null && agent.agentVersion !== servedVersion;
}

/** "automatic, channel stable", "automatic, pinned to 1.2.0", "off": the policy the agent's config sets. */
export function updatePolicyText(update: AgentView['update']): string {
  if (!update) return 'not reported (this agent version does not update itself)';
  if (!update.auto) return 'off (auto_update: false)';
  return update.channel === STABLE_CHANNEL ? 'automatic, channel stable' : `automatic, pinned to ${update.channel}`;
}

/** Why an out-of-date agent stays where it is, when its policy says so; null when it should be moving to the served version. */
function whyItStays(update: AgentView['update'], servedVersion: string): string | null {
  if (!update) return 'This agent version does not update itself: run the installer again to update it.';
  if (!update.auto) return 'Automatic updates are off on this host (auto_update: false).';
  if (update.channel !== STABLE_CHANNEL && update.channel !== servedVersion) return `It is pinned to ${update.channel} (update_channel).`;
  return null;
}

/** The last attempt when it was an attempt at the served version that did not take: the failure to show. */
export function failedAttempt(agent: UpdateFacts, servedVersion: string): AgentUpdateAttemptView | null {
  const last = agent.update?.last;
  if (!last || last.outcome === 'updated' || last.to !== servedVersion) return null;
  return isOutOfDate(agent, servedVersion) ? last : null;
}

const OUTCOME_WORDS: Record<AgentUpdateOutcome, string> = { updated: 'succeeded', failed: 'failed', 'rolled-back': 'was rolled back' };

/** "Update from 0.1.0 to 0.2.0 failed: the SHA-256 did not match". The reason is the agent's own text (render it as text). */
export function attemptText(attempt: AgentUpdateAttemptView): string {
  const head = `Update from ${attempt.from} to ${attempt.to} ${OUTCOME_WORDS[attempt.outcome]}`;
  return attempt.reason ? `${head}: ${attempt.reason}` : `${head}.`;
}

/**
 * The markers the agents list shows: "Out of date" when it runs another version than the served
 * one (with why it stays there, when its policy says so), and "Update failed" or "Rolled back" when
 * its last attempt at the served version did not take. None for an up-to-date or never-seen agent.
 */
export function updateMarkers(agent: UpdateFacts, servedVersion: string): UpdateMarker[] {
  if (!isOutOfDate(agent, servedVersion)) return [];
  const stays = whyItStays(agent.update, servedVersion);
  const markers: UpdateMarker[] = [
    {
      kind: 'out-of-date',
      label: 'Out of date',
      description: `Runs ${agent.agentVersion}; the dashboard serves ${servedVersion}.${stays ? ` ${stays}` : ''}`,
    },
  ];
  const failed = failedAttempt(agent, servedVersion);
  if (failed) {
    markers.push({
      kind: failed.outcome === 'failed' ? 'update-failed' : 'rolled-back',
      label: failed.outcome === 'failed' ? 'Update failed' : 'Rolled back',
      description: attemptText(failed),
    });
  }
  return markers;
}
