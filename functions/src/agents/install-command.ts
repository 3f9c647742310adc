/** The one line an administrator pastes on a host to install the agent with its key. */
export function installCommand(input: { dashboardUrl: string; ingestUrl: string; key: string }): string {
  const base = input.dashboardUrl.replace(/\/+$/, '');
  return `curl -fsSL ${base}/install.sh | sudo sh -s -- --key ${input.key} --endpoint ${input.ingestUrl}`;
}
