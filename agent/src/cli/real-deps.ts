// The real world for the CLI: this machine, its process signals, the network.
import { createDelivery } from '../delivery/delivery.js';
import { FixtureHost } from '../host/fixture-host.js';
import { RealHost } from '../host/real-host.js';
import { allPlugins } from '../plugins/index.js';
import { abortableSleep, type CliDeps } from './deps.js';
import { AGENT_VERSION } from './version.js';

export function realDeps(): CliDeps {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    host: new RealHost(),
    fixtureHost: (dir) => new FixtureHost(dir),
    plugins: allPlugins,
    createDelivery,
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
    sleep: abortableSleep,
    now: () => new Date(),
    random: Math.random,
    ...(typeof process.getuid === 'function' ? { agentUid: process.getuid() } : {}),
    version: AGENT_VERSION,
    forceExit: (code) => process.exit(code),
    onFatal(handler) {
      const onException = (error: unknown) => handler(error, 'uncaughtException');
      const onRejection = (reason: unknown) => handler(reason, 'unhandledRejection');
      process.on('uncaughtException', onException);
      process.on('unhandledRejection', onRejection);
      return () => {
        process.off('uncaughtException', onException);
        process.off('unhandledRejection', onRejection);
      };
    },
    uptimeSeconds: () => process.uptime(),
  };
}
