// The self-update as `run` and `once` see it (docs/agent.md, "Updates"):
//   status()          what every report carries: {auto, channel, last?}. A version on trial says
//                     `updated` already: the server reads it only in a report it accepts, and an
//                     accepted report is what makes the update a success.
//   reportAccepted()  the first accepted report of a version on trial confirms it (state.json).
//   consider(offer)   `run`, between ticks, never during a collection or a delivery: by the policy
//                     (decide.ts) download and verify the bundle (download.ts), make it the active
//                     one on trial, and answer true: the daemon then exits with
//                     EXIT.restartForUpdate and systemd starts it through the launcher. A failure
//                     changes nothing but `last` (`failed`, with the reason) and waits an hour.
import { agentUpdateAttemptSchema, type AgentUpdateOffer, type AgentUpdateStatus } from '@vigil/schema';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pinnedFetch } from '../delivery/pinned-fetch.js';
import type { Logger } from '../log.js';
import { decideUpdate, trialDeadlineSeconds } from './decide.js';
import { bundleUrlFor, downloadBundle, MAX_BUNDLE_BYTES, UpdateError } from './download.js';
import type { LaunchInfo } from './launcher.js';
import { activated, confirmed, failedAttempt, readState, updateDirFor, writeState, type UpdateState } from './update-state.js';

export interface UpdaterConfig {
  autoUpdate: boolean;
  updateChannel: string;
  endpoint: string;
  relayFingerprint: string | undefined;
  allowInsecureHttp: boolean;
}

export interface UpdaterOptions {
  /** Read at each call: a reloaded config applies at once. */
  config: () => UpdaterConfig;
  /** The version of this running agent. */
  version: string;
  /** Set when the launcher handed over to this bundle. */
  launch?: LaunchInfo | undefined;
  env: Record<string, string | undefined>;
  log: () => Logger;
  now: () => Date;
  /** For direct downloads; the global fetch when absent (behind a relay the pinned fetch, always). */
  fetch?: typeof fetch | undefined;
}

export interface Updater {
  status(): Promise<AgentUpdateStatus>;
  reportAccepted(): Promise<void>;
  /** True when a new version is installed and the agent must restart to run it. */
  consider(offer: AgentUpdateOffer, intervalSeconds: number, signal?: AbortSignal): Promise<boolean>;
}

const SHA256_DIR = /^[0-9a-f]{64}$/;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createUpdater(options: UpdaterOptions): Updater {
  const updateDir = options.launch?.updateDir ?? updateDirFor(options.env);
  let confirmedHere = false;

  async function stateOrUndefined(): Promise<UpdateState | undefined> {
    try {
      return await readState(updateDir);
    } catch (error) {
      options.log().warn('cannot read the update state', { updateDir, reason: errorText(error) });
      return undefined;
    }
  }

  /** Removes the bundles no state names any more (rolled back, replaced). */
  async function prune(keep: UpdateState): Promise<void> {
    const wanted = new Set([keep.active?.sha256, keep.previous?.sha256]);
    try {
      for (const name of await readdir(updateDir)) {
        if (SHA256_DIR.test(name) && !wanted.has(name)) await rm(path.join(updateDir, name), { recursive: true, force: true });
      }
    } catch (error) {
      options.log().warn('cannot remove old agent bundles', { updateDir, reason: errorText(error) });
    }
  }

  return {
    async status() {
      const { autoUpdate, updateChannel } = options.config();
      const status: AgentUpdateStatus = { auto: autoUpdate, channel: updateChannel };
      const state = await stateOrUndefined();
      const active = state?.active;
      const launch = options.launch;
      if (launch?.onTrial && !confirmedHere && active?.trial && active.sha256 === launch.sha256) {
        status.last = { outcome: 'updated', from: active.from, to: active.version, at: active.at };
        return status;
      }
      const last = agentUpdateAttemptSchema.safeParse(state?.last);
      if (last.success) status.last = last.data;
      return status;
    },

    async reportAccepted() {
      const launch = options.launch;
      if (!launch?.onTrial || confirmedHere) return;
      const state = await stateOrUndefined();
      if (!state?.active?.trial || state.active.sha256 !== launch.sha256) return;
      const next = confirmed(state, options.now());
      try {
        await writeState(updateDir, next);
      } catch (error) {
        options.log().error('cannot record that the agent update works', { reason: errorText(error) });
        return;
      }
      confirmedHere = true;
      options.log().info('the agent update works: its first report was accepted', { version: launch.version, from: state.active.from });
      await prune(next);
    },

    async consider(offer, intervalSeconds, signal) {
      const log = options.log();
      const config = options.config();
      const state = await stateOrUndefined();
      if (!state) return false;
      const decision = decideUpdate(offer, config, options.version, state, options.now());
      if (!decision.install) {
        log.debug('not installing the offered agent version', { version: offer.version, reason: decision.reason });
        return false;
      }
      try {
        const url = bundleUrlFor(config, offer);
        const fetchImpl = config.relayFingerprint
          ? pinnedFetch(config.relayFingerprint, { maxAnswerBytes: MAX_BUNDLE_BYTES })
          : (options.fetch ?? globalThis.fetch);
        log.info('downloading an agent update', { version: offer.version, from: options.version, url });
        await downloadBundle({ url, offer, updateDir, fetch: fetchImpl, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) return false;
        const reason = error instanceof UpdateError ? error.message : `unexpected: ${errorText(error)}`;
        log.warn('the agent update failed; the running version stays', { version: offer.version, reason });
        try {
          await writeState(updateDir, failedAttempt(state, offer, options.version, reason, options.now()));
        } catch (writeError) {
          log.error('cannot write the update state', { reason: errorText(writeError) });
        }
        return false;
      }
      const next = activated(state, offer, options.version, trialDeadlineSeconds(intervalSeconds), options.now());
      try {
        await writeState(updateDir, next);
      } catch (error) {
        log.error('cannot write the update state; the running version stays', { reason: errorText(error) });
        return false;
      }
      log.info('installed an agent update; restarting to run it', { version: offer.version, from: options.version });
      await prune(next);
      return true;
    },
  };
}
