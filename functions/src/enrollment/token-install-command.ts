// The one line an administrator pastes on a host, or on each host of a fleet: install.sh with
// `--token`, which enrolls the host (enrollAgent), the only way a host gets its key. Built from the
// deploy's dashboard and ingest URLs and the SHA-256s of what Hosting serves.
import { dashboardUrl, publicIngestUrl } from '../params.js';
import { ingestUrl } from '../firebase/runtime.js';
import { agentAssetHashes } from '../agents/agent-assets.js';
import { installCommand } from '../agents/install-command.js';

/** `forceEnroll`: for a host that has a key already, which install.sh keeps unless told (rotateAgentKey's). */
export function tokenInstallCommand(token: string, options: { forceEnroll?: boolean } = {}): string {
  return installCommand({
    dashboardUrl: dashboardUrl.value(),
    ingestUrl: ingestUrl(publicIngestUrl.value()),
    token,
    forceEnroll: options.forceEnroll === true,
    assets: agentAssetHashes(),
  });
}
