// Whether `run` installs the version an ingest reply offers (docs/agent.md, "Updates"). Pure.
//   auto_update: false           never (the reports still say the policy, so the dashboard shows why)
//   update_channel: stable       the offer, whichever version it names (the dashboard's is the fleet's)
//   update_channel: <version>    only that exact version
// and never a bundle rolled back before (same version and SHA-256), nor one whose download failed
// within RETRY_FAILED_AFTER_MS (every reply repeats the offer: a broken download must not repeat
// every interval).
import { AGENT_UPDATE_STABLE_CHANNEL, type AgentUpdateOffer } from '@vigil/schema';
import { isBad, type UpdateState } from './update-state.js';

export const RETRY_FAILED_AFTER_MS = 60 * 60 * 1000;

export interface UpdatePolicy {
  autoUpdate: boolean;
  updateChannel: string;
}

export type UpdateDecision = { install: true } | { install: false; reason: string };

export function decideUpdate(offer: AgentUpdateOffer, policy: UpdatePolicy, running: string, state: UpdateState, now: Date): UpdateDecision {
  if (!policy.autoUpdate) return { install: false, reason: 'auto_update is off' };
  if (policy.updateChannel !== AGENT_UPDATE_STABLE_CHANNEL && offer.version !== policy.updateChannel) {
    return { install: false, reason: `update_channel stays on ${policy.updateChannel}` };
  }
  if (offer.version === running) return { install: false, reason: 'this version is running' };
  if (isBad(state, offer)) return { install: false, reason: 'this bundle was rolled back before' };
  const failed = state.failed;
  if (failed && failed.sha256 === offer.sha256 && failed.version === offer.version) {
    const since = now.getTime() - Date.parse(failed.at);
    if (since >= 0 && since < RETRY_FAILED_AFTER_MS) return { install: false, reason: 'its last attempt failed less than an hour ago' };
  }
  return { install: true };
}

/**
 * How long a new version has, from each start, to get a report accepted before the launcher rolls
 * it back: three intervals, and at least 15 minutes (a restart, a slow first collection and a
 * rate-limited first send all fit).
 */
export function trialDeadlineSeconds(intervalSeconds: number): number {
  return Math.max(3 * intervalSeconds, 15 * 60);
}
