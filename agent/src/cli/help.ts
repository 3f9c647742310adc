import { EXIT_CODE_HELP } from './exit-codes.js';

export function helpText(version: string): string {
  return `vigil-agent ${version}: reports whether this host's security tools work, to Vigil.

Usage: vigil-agent <command> [--config FILE]

Commands:
  run             the daemon: collect and send a report every interval (systemd runs this)
  once            collect and send one report, then exit
  collect         collect a report and print a summary of it; send nothing
  collect --json  print the report as JSON, exactly what would be sent; send nothing
  doctor          check config, key, endpoint, spool and every solution, one line each
  relay           forward other agents' reports to the ingest (the relay: section of the config)
  relay allow|deny KEYID, relay list, relay fingerprint
                  the relay's access list of key ids, and its certificate's fingerprint
  enroll          exchange an enrollment token for this machine's key: writes key_file and the config
                  enroll --endpoint URL [--token TOKEN] [--label key=value]... [--relay-fingerprint SHA256]
  help            this text

Options:
  -c, --config FILE  config file (default: $VIGIL_CONFIG, else /etc/vigil/agent.yaml)
      --json         collect: print the report JSON on stdout
      --endpoint URL enroll: the ingestReport URL (or a relay's https://HOST:PORT/ingest)
      --token TOKEN  enroll: the enrollment token (better: VIGIL_ENROLLMENT_TOKEN, not in the process list)
      --label K=V    enroll: a label for this agent (repeatable)
      --relay-fingerprint SHA256  enroll: pin the relay's certificate (written to the config)
  -h, --help         this text
  -V, --version      print the version

Environment (overrides the config file):
  VIGIL_ENDPOINT, VIGIL_KEY, VIGIL_KEY_FILE, VIGIL_INTERVAL_SECONDS, VIGIL_ALLOW_STATE_CHANGES,
  VIGIL_SKIP_SOLUTIONS (comma list), VIGIL_SPOOL_DIR, VIGIL_LOG_LEVEL, VIGIL_RELAY_FINGERPRINT, VIGIL_CONFIG
  VIGIL_HIDE_HOST_DETAILS (comma list), VIGIL_SEND_AGENT_HEALTH, VIGIL_SENTRY_DSN (docs/telemetry.md)
  VIGIL_ENROLLMENT_TOKEN (enroll's token)

Exit codes:
${EXIT_CODE_HELP.map(([code, meaning]) => `  ${code}  ${meaning}`).join('\n')}

run and once log JSON lines on stdout (journald). SIGTERM or SIGINT stops run cleanly;
SIGHUP makes it read its config again. Documentation: docs/agent.md in the Vigil repository.
`;
}
