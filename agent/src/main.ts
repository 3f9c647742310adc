// Entry point of vigil-agent (bundled into dist/vigil-agent.mjs by build.mjs).
import './cli/v8-tuning.js'; // first: before any other module allocates
import { runCli } from './cli/cli.js';
import { realDeps } from './cli/real-deps.js';

const MINIMUM_NODE = [18, 3];

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < MINIMUM_NODE[0]! || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1]!)) {
  process.stderr.write(`vigil-agent needs Node ${MINIMUM_NODE.join('.')} or newer; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}

const code = await runCli(process.argv.slice(2), realDeps());
process.exitCode = code;
// Let stdout drain (a report piped to a slow reader), then leave even if an abandoned plugin's
// timer or child still holds the event loop.
process.stdout.write('', () => setTimeout(() => process.exit(code), 1_000).unref());
