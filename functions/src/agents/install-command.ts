/** The one line an administrator pastes on a host to install the agent with its key. */
export function installCommand(input: { dashboardUrl: string; ingestUrl: string; key: string }): string {
  const base = input.dashboardUrl.replace(/\/+$/, '');
  // --from tells the script where to fetch the agent bundle: a piped script cannot know its own URL.
  return `curl -fsSL ${base}/install.sh | sudo sh -s -- --key ${input.key} --endpoint ${input.ingestUrl} --from ${base}`;
}
