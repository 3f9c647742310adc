// The exit codes of vigil-agent, documented in `--help` and docs/agent.md. Scripts and the systemd
// unit rely on them: change one only together with both.
export const EXIT = {
  ok: 0,
  /** Anything unexpected: a bug, a disk that refuses, a doctor check that failed. */
  failure: 1,
  /** Unknown command or option. */
  usage: 2,
  /** The config (or the key file) is invalid, absent or unsafe. */
  config: 3,
  /** The report could not be delivered now; it is spooled and will be retried. */
  spooled: 4,
  /** The ingest refused the key: unknown, revoked or mistyped. */
  keyRejected: 5,
  /** The ingest refused the report as invalid (it is not retried). */
  reportRejected: 6,
  /** enroll: the server refused the enrollment (token unknown, revoked, expired or used up; or the request). */
  enrollmentRefused: 7,
  /**
   * run: a new agent version was installed (or one on trial rolled back): restart me. The unit's
   * Restart=on-failure restarts it, and the installed bundle then hands over to the right one
   * (docs/agent.md, "Updates").
   */
  restartForUpdate: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP = [
  ['0', 'ok'],
  ['1', 'runtime failure (or a doctor check failed)'],
  ['2', 'usage error'],
  ['3', 'config error (file, key or key file permissions)'],
  ['4', 'delivery failed: the report is spooled and will be retried'],
  ['5', 'the server rejected the key (unknown, revoked or mistyped)'],
  ['6', 'the server rejected the report as invalid (not retried)'],
  ['7', 'enroll: the server refused the enrollment token (unknown, revoked, expired or used up)'],
  ['8', 'run: an agent update was installed or rolled back; restart to run it (systemd does)'],
] as const;
