// The update offer of ingest's reply (docs/agent.md, "Updates"): the agent version the dashboard
// serves, its SHA-256 and its URL, to an agent that reported another version; the agent decides by
// its own policy (auto_update, update_channel) whether to take it. The version and SHA-256 are baked
// into the functions at build time (agents/agent-assets.ts), the URL is DASHBOARD_URL's: nothing is
// read or written per report. Pure, but for the per-instance resolution in `UpdateOfferSource`.
import type { AgentUpdateOffer } from '@vigil/schema';
import { AGENT_BUNDLE_PATH, type ServedAgentBundle } from '../agents/agent-assets.js';

/** What an instance offers: the served bundle and where it is downloaded. */
export interface ServedUpdate extends ServedAgentBundle {
  /** DASHBOARD_URL (checked, no trailing slash). */
  dashboardUrl: string;
}

/** The reply's `update` for a report of `reportedVersion`, or undefined when it runs the served version already or nothing is served. */
export function updateOffer(reportedVersion: string, served: ServedUpdate | null): AgentUpdateOffer | undefined {
  if (served === null || reportedVersion === served.version) return undefined;
  return { version: served.version, sha256: served.sha256, url: `${served.dashboardUrl.replace(/\/+$/, '')}${AGENT_BUNDLE_PATH}` };
}

/**
 * Resolves what this instance offers once, on first use: the baked bundle and DASHBOARD_URL, or
 * nothing (logged once per instance, not per report) when either is missing or invalid, so a
 * misconfigured deploy still accepts every report, only without offers.
 */
export class UpdateOfferSource {
  private resolved: ServedUpdate | null | undefined;

  constructor(
    private readonly bundle: () => ServedAgentBundle,
    private readonly dashboardUrl: () => string,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  served(): ServedUpdate | null {
    if (this.resolved !== undefined) return this.resolved;
    try {
      this.resolved = { ...this.bundle(), dashboardUrl: this.dashboardUrl() };
    } catch (error) {
      this.resolved = null;
      this.warn('agent update offers are off on this instance: the served bundle or DASHBOARD_URL is missing', {
        fault: error instanceof Error ? error.message : String(error),
      });
    }
    return this.resolved;
  }

  offerFor(reportedVersion: string): AgentUpdateOffer | undefined {
    return updateOffer(reportedVersion, this.served());
  }
}
