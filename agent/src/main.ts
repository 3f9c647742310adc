// Entry point of vigil-agent (bundled into dist/vigil-agent.mjs by build.mjs).
// It is also the launcher (update/launcher.ts): before the CLI is loaded (a dynamic import, which
// the bundle keeps lazy), it hands over to the agent update active in the state directory, if any.
// A bundle imported that way (LAUNCHED set) does not run by itself: the launcher calls its
// `vigilAgentMain`, which every version exports with this signature.
import './cli/v8-tuning.js'; // first: before any other module allocates
import { isLaunched, launch, type LaunchInfo } from './update/launcher.js';

const MINIMUM_NODE = [18, 3];

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MINIMUM_NODE[0]! || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1]!)) {
  process.stderr.write(`vigil-agent needs Node ${MINIMUM_NODE.join('.')} or newer; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}

/** This bundle's agent: the CLI with the real world, told whether a launcher started it. */
export async function vigilAgentMain(argv: string[], launched?: LaunchInfo): Promise<number> {
  const [{ runCli }, { realDeps }] = await Promise.all([import('./cli/cli.js'), import('./cli/real-deps.js')]);
  return runCli(argv, { ...realDeps(), ...(launched ? { launch: launched } : {}) });
}

if (!isLaunched()) {
  const code = await launch(process.argv.slice(2), { env: process.env, own: vigilAgentMain });
  process.exitCode = code;
  // Let stdout drain (a report piped to a slow reader), then leave even if an abandoned plugin's
  // timer or child still holds the event loop.
  process.stdout.write('', () => setTimeout(() => process.exit(code), 1_000).unref());
}
