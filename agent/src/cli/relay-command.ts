// `vigil-agent relay`: the relay server (agent/src/relay/), until SIGTERM or SIGINT.
//   relay allow KEYID | relay deny KEYID | relay list: the access list of key ids in the state directory
//   relay fingerprint: the SHA-256 of the relay's certificate (made now if there is none yet), for
//   agents' relay_fingerprint.
// Exit: 0 stopped cleanly (or the subcommand done); 2 usage (also a malformed key id); 3 config (no
// relay: section, no uplink); 1 anything else (the port is taken, the certificate cannot be read or made).
import { RELAY_CONFIG_DEFAULTS } from '@vigil/schema';
import { ConfigError, type RelayConfig } from '../config/load-config.js';
import { createLogger, type LogLevel } from '../log.js';
import { allowKeyId, denyKeyId, keyIdFromArgument, readAccessList, writeAccessList } from '../relay/access-list.js';
import { colonFingerprint, loadOrCreateCertificate } from '../relay/certificate.js';
import { loadOrCreateSecret } from '../relay/key-sealing.js';
import { createRelayServer } from '../relay/relay-server.js';
import type { CliArgs } from './args.js';
import type { CliDeps } from './deps.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { errorText, loadConfigFor, printConfigError } from './shared.js';

async function relayConfigFor(
  args: CliArgs,
  deps: CliDeps,
): Promise<{ relay: RelayConfig | undefined; logLevel: LogLevel; source: string } | ExitCode> {
  // The relay sends no report of its own: it needs no key of its own.
  const loaded = await loadConfigFor(args, deps, false);
  if (!('config' in loaded)) {
    printConfigError(deps, loaded);
    return EXIT.config;
  }
  return { relay: loaded.config.relay, logLevel: loaded.config.logLevel, source: loaded.config.configPath ?? 'environment' };
}

export async function relayCommand(args: CliArgs, deps: CliDeps): Promise<ExitCode> {
  const relayArgs = args.relay ?? { action: 'serve' };
  const loaded = await relayConfigFor(args, deps);
  if (typeof loaded === 'number') return loaded;
  const stateDir = loaded.relay?.stateDir ?? RELAY_CONFIG_DEFAULTS.state_dir;

  switch (relayArgs.action) {
    case 'allow':
    case 'deny': {
      const keyId = keyIdFromArgument(relayArgs.keyId ?? '');
      if (!keyId) {
        deps.stderr.write('vigil-agent: not a key id: expected 16 letters a-z and digits 2-7, as in vgl_<key id>_… on the dashboard\n');
        return EXIT.usage;
      }
      const list = await readAccessList(stateDir);
      const next = relayArgs.action === 'allow' ? allowKeyId(list, keyId) : denyKeyId(list, keyId);
      await writeAccessList(stateDir, next);
      deps.stdout.write(
        relayArgs.action === 'allow'
          ? `allowed ${keyId}: ${next.allow.length} key id(s) on the allowlist; every other key is refused\n`
          : `denied ${keyId}: its reports are refused at the relay\n`,
      );
      return EXIT.ok;
    }
    case 'list': {
      const list = await readAccessList(stateDir);
      deps.stdout.write(
        list.allow.length
          ? `allowed (only these are forwarded): ${list.allow.join(', ')}\n`
          : 'allowed: every well-formed key (no allowlist); the cloud still checks each key\n',
      );
      deps.stdout.write(`denied: ${list.deny.length ? list.deny.join(', ') : 'none'}\n`);
      return EXIT.ok;
    }
    case 'fingerprint': {
      const certificate = await loadOrCreateCertificate(deps.host, { stateDir, certFile: loaded.relay?.certFile, keyFile: loaded.relay?.keyFile });
      deps.stdout.write(`${certificate.fingerprint}\n`);
      if (certificate.generated) deps.stderr.write(`made a self-signed certificate: ${certificate.certFile}\n`);
      return EXIT.ok;
    }
    case 'serve':
      break;
  }

  const { relay } = loaded;
  if (!relay) {
    printConfigError(deps, new ConfigError(loaded.source, ['relay: missing: add a relay: section to run the relay (docs/agent.md, "Relay")']));
    return EXIT.config;
  }
  if (!relay.uplink) {
    printConfigError(deps, new ConfigError(loaded.source, ['relay.uplink: required, or endpoint: the ingest the relay forwards to']));
    return EXIT.config;
  }
  const log = createLogger(loaded.logLevel, (line) => deps.stdout.write(`${line}\n`), deps.now);

  let server;
  try {
    const certificate = await loadOrCreateCertificate(deps.host, { stateDir: relay.stateDir, certFile: relay.certFile, keyFile: relay.keyFile });
    if (certificate.generated)
      log.info('made a self-signed certificate for the relay', { certFile: certificate.certFile, keyFile: certificate.keyFile });
    const secret = await loadOrCreateSecret(relay.stateDir);
    server = await createRelayServer({
      cert: certificate.cert,
      key: certificate.key,
      stateDir: relay.stateDir,
      uplinkUrl: relay.uplink,
      spoolLimits: { maxReports: relay.spoolMaxReports, maxBytes: relay.spoolMaxBytes },
      keyQuota: { maxReports: relay.spoolMaxReportsPerKey, maxBytes: relay.spoolMaxBytesPerKey },
      rateLimit: { perMinute: relay.rateLimitPerMinute, burst: relay.rateLimitBurst },
      secret,
      log,
      version: deps.version,
      random: deps.random,
    });
    const port = await server.listen(relay.listen.host, relay.listen.port);
    log.info('relay listening', {
      version: deps.version,
      listen: `${relay.listen.host.includes(':') ? `[${relay.listen.host}]` : relay.listen.host}:${port}`,
      uplink: relay.uplink,
      stateDir: relay.stateDir,
      certFile: certificate.certFile,
      // What agents behind the relay put in their config.
      fingerprint: certificate.fingerprint,
      fingerprintColons: colonFingerprint(certificate.fingerprint).toUpperCase(),
    });
  } catch (error) {
    await server?.close(0);
    log.error('the relay could not start', { reason: errorText(error) });
    deps.stderr.write(`vigil-agent: the relay could not start: ${errorText(error)}\n`);
    return EXIT.failure;
  }

  let stops = 0;
  let stopped: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => (stopped = resolve));
  const stop = (signal: string) => {
    stops += 1;
    if (stops > 1) {
      log.warn('second stop signal: exiting now', { signal });
      deps.forceExit(EXIT.failure);
      return;
    }
    log.info('relay stopping', { signal });
    stopped();
  };
  const unsubscribe = [
    deps.onSignal('SIGTERM', () => stop('SIGTERM')),
    deps.onSignal('SIGINT', () => stop('SIGINT')),
    // The access list is read again whenever it changes; everything else needs a restart.
    deps.onSignal('SIGHUP', () => log.info('SIGHUP: the access list is always current; restart the relay to apply other config changes')),
  ];
  try {
    await stopping;
    // Requests in progress finish; the spool stays on disk for the next start.
    await server.close();
  } finally {
    for (const off of unsubscribe) off();
  }
  log.info('relay stopped');
  return EXIT.ok;
}
