// The one line an administrator pastes on a host (or on each host of a fleet) to install the agent
// and enroll it with an enrollment token: no agent key is ever put in a command. It never pipes
// a download into a shell: install.sh is saved to a temporary file, checked against the SHA-256 this
// command carries (sha256sum -c), and only then run; install.sh in turn checks the bundle it
// downloads against `--sha256` before installing anything. curl takes https only, and follows no
// redirect to anything but https. Plain http is only for this machine (the emulators of `npm start`).
import { isInsecureHttpUrl } from '@vigil/schema';

/** SHA-256s (hex) of what the dashboard serves: /install.sh and /vigil-agent.mjs (agent-assets.ts). */
export interface AgentAssetHashes {
  installScriptSha256: string;
  bundleSha256: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** What an enrollment token (`vgle_…`) is made of: nothing a shell reads specially. */
const CREDENTIAL = /^[A-Za-z0-9_-]+$/;

/**
 * The enrollment token with which install.sh enrolls the host: a fleet's (createEnrollmentToken),
 * one line for many hosts, or one bound to a single agent (enrollment/bound-token.ts: createAgent's,
 * and rotateAgentKey's with `forceEnroll`, since its host has a key already, a revoked one, which
 * install.sh would otherwise keep).
 */
export interface InstallCredential {
  token: string;
  forceEnroll?: boolean;
}

export function installCommand(input: { dashboardUrl: string; ingestUrl: string; assets: AgentAssetHashes } & InstallCredential): string {
  const base = input.dashboardUrl.replace(/\/+$/, '');
  if (isInsecureHttpUrl(base)) throw new Error(`DASHBOARD_URL must be https:// (plain http only to localhost): ${base}`);
  if (isInsecureHttpUrl(input.ingestUrl)) throw new Error(`the ingest URL must be https:// (plain http only to localhost): ${input.ingestUrl}`);
  const { installScriptSha256, bundleSha256 } = input.assets;
  if (!SHA256_HEX.test(installScriptSha256) || !SHA256_HEX.test(bundleSha256)) {
    throw new Error('the install script and bundle SHA-256s must be 64 lowercase hex digits (functions/build.mjs computes them)');
  }
  if (!CREDENTIAL.test(input.token)) throw new Error('the token must be letters, digits, "_" and "-" only');
  const credential = `--token ${input.token}${input.forceEnroll === true ? ' --force-enroll' : ''}`;
  const proto = base.startsWith('https://') ? '=https' : '=http,https';
  return [
    `f=$(mktemp) && curl -fsSL --proto '${proto}' --proto-redir '=https' -o "$f" ${base}/install.sh`,
    `echo "${installScriptSha256}  $f" | sha256sum -c --quiet -`,
    // --from tells the script where to fetch the agent bundle, --sha256 what it must hash to.
    `sudo sh "$f" ${credential} --endpoint ${input.ingestUrl} --from ${base} --sha256 ${bundleSha256}; rm -f "$f"`,
  ].join(' && ');
}
