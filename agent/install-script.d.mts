// Types of install-script.mjs for the TypeScript tests that build the installer as agent/build.mjs does.
export function buildInstallScript(agentDir?: string): string;
