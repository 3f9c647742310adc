// The agent's config file (/etc/vigil/agent.yaml), as written by an administrator: snake_case keys,
// every field named in errors, unknown keys refused (a typo must not silently do nothing).
// The agent (agent/src/config/load-config.ts) reads the YAML, applies environment overrides, parses
// with this schema, resolves the key and returns a camelCase config.
import { z } from 'zod';
import { API_KEY_PATTERN } from './api-key.js';
import { sentryDsnSchema } from './sentry-dsn.js';
import type { IssueSummary } from './errors.js';
import { AGENT_UPDATE_STABLE_CHANNEL, agentVersionSchema, HOST_DETAILS } from './report.js';
import { SOLUTION_CATALOG, type KnownSolutionId } from './solutions.js';

export const AGENT_LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export const AGENT_CONFIG_DEFAULTS = {
  interval_seconds: 300,
  allow_state_changes: false,
  spool_dir: '/var/lib/vigil/spool',
  spool_max_reports: 500,
  spool_max_bytes: 50 * 1024 * 1024,
  plugin_timeout_seconds: 120,
  log_level: 'info',
  send_agent_health: true,
  allow_insecure_http: false,
  auto_update: true,
  update_channel: AGENT_UPDATE_STABLE_CHANNEL,
} as const;

export const AGENT_CONFIG_BOUNDS = {
  intervalSeconds: { min: 60, max: 86_400 },
  spoolMaxReports: { min: 1, max: 100_000 },
  /** At least one report of the largest size the protocol allows. */
  spoolMaxBytes: { min: 256 * 1024, max: 1024 * 1024 * 1024 },
  pluginTimeoutSeconds: { min: 1, max: 3_600 },
} as const;

export function isKnownSolutionId(id: unknown): id is KnownSolutionId {
  return typeof id === 'string' && Object.hasOwn(SOLUTION_CATALOG, id);
}

function integer(min: number, max: number) {
  return z
    .number({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a number') })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

const booleanSchema = z.boolean({ error: 'must be true or false' });

const absolutePathSchema = z
  .string({ error: 'must be a path' })
  .max(4096, 'must be at most 4096 characters')
  .refine((value) => value.startsWith('/'), 'must be an absolute path')
  .refine((value) => !value.includes('\0'), 'must not contain NUL');

const solutionIdSchema = z.string({ error: 'must be a solution id' }).superRefine((id, ctx) => {
  if (!isKnownSolutionId(id)) ctx.addIssue({ code: 'custom', message: `unknown solution "${id}"` });
});

// The relay (`vigil-agent relay`, docs/agent.md "Relay"): the one host of a network that may reach
// the Internet forwards the other agents' reports. `relay:` configures the relay on that host;
// `relay_fingerprint` pins the relay's certificate on the agents that send to it.
// `listen` has no default: a relay listening on every interface (0.0.0.0) of a host that faces the
// Internet takes reports from anyone, so the administrator names the address.
export const RELAY_CONFIG_DEFAULTS = {
  state_dir: '/var/lib/vigil/relay',
  spool_max_reports: 5_000,
  spool_max_bytes: 256 * 1024 * 1024,
  // One key id's share of the spool while the uplink is down: a day of reports every 5 min, like
  // an agent's own spool. Junk under made-up key ids is refused (never evicts what was acknowledged);
  // `vigil-agent relay allow` stops unknown key ids altogether.
  spool_max_reports_per_key: 500,
  spool_max_bytes_per_key: 50 * 1024 * 1024,
  rate_limit_per_minute: 60,
  rate_limit_burst: 60,
} as const;

/** The port install.sh and the docs suggest for relay.listen. */
export const RELAY_SUGGESTED_PORT = 8443;

export const RELAY_CONFIG_BOUNDS = {
  spoolMaxReports: { min: 1, max: 1_000_000 },
  /** At least a few reports of the largest size, with their sealed keys. */
  spoolMaxBytes: { min: 1024 * 1024, max: 64 * 1024 * 1024 * 1024 },
  spoolMaxReportsPerKey: { min: 1, max: 1_000_000 },
  /** At least one report of the largest size. */
  spoolMaxBytesPerKey: { min: 256 * 1024, max: 64 * 1024 * 1024 * 1024 },
  rateLimitPerMinute: { min: 1, max: 60_000 },
  rateLimitBurst: { min: 1, max: 100_000 },
} as const;

/** Whether a URL's host is this machine: localhost, 127.0.0.0/8 or ::1 (by name, never resolved). */
export function isLoopbackUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Plain http:// to a host that is not this machine: the key and the reports would be readable on the way. */
export function isInsecureHttpUrl(url: string): boolean {
  return /^http:/i.test(url) && !isLoopbackUrl(url);
}

export const INSECURE_HTTP_MESSAGE =
  'plain http:// to another machine: keys and reports would travel unencrypted. Use https://, or set allow_insecure_http: true to accept that';

/** `host:port`, `[v6]:port`; undefined when malformed. */
export function parseListenAddress(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

/** A SHA-256 certificate fingerprint as lowercase hex; accepts `AB:CD:…`, a `sha256:` prefix, and openssl's whole line. */
export function normalizeFingerprint(text: string): string | undefined {
  // `sha256 Fingerprint=AB:…` is what `openssl x509 -noout -fingerprint -sha256` prints.
  const hex = text
    .trim()
    .replace(/^sha256(?:\s+fingerprint)?\s*[:=]?\s*/i, '')
    .replace(/:/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

export const relayFingerprintSchema = z
  .string({ error: 'must be a SHA-256 fingerprint in quotes (64 hex digits, colons allowed)' })
  .transform((value, ctx) => {
    const hex = normalizeFingerprint(value);
    if (hex === undefined) {
      ctx.addIssue({ code: 'custom', message: "must be the relay certificate's SHA-256 fingerprint: 64 hex digits (colons allowed)" });
      return z.NEVER;
    }
    return hex;
  });

export const relayConfigSchema = z
  .strictObject(
    {
      listen: z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? 'required: the address agents connect to, e.g. 10.0.0.5:8443 (0.0.0.0:8443 listens on every interface, the Internet-facing ones too)'
              : 'must be host:port, e.g. 0.0.0.0:8443',
        })
        .refine((value) => parseListenAddress(value) !== undefined, 'must be host:port, e.g. 0.0.0.0:8443 or [::]:8443'),
      cert_file: absolutePathSchema.optional(),
      key_file: absolutePathSchema.optional(),
      state_dir: absolutePathSchema.default(RELAY_CONFIG_DEFAULTS.state_dir),
      uplink: z
        .string({ error: 'must be a URL' })
        .max(2048, 'must be at most 2048 characters')
        .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }))
        .optional(),
      spool_max_reports: integer(RELAY_CONFIG_BOUNDS.spoolMaxReports.min, RELAY_CONFIG_BOUNDS.spoolMaxReports.max).default(
        RELAY_CONFIG_DEFAULTS.spool_max_reports,
      ),
      spool_max_bytes: integer(RELAY_CONFIG_BOUNDS.spoolMaxBytes.min, RELAY_CONFIG_BOUNDS.spoolMaxBytes.max).default(
        RELAY_CONFIG_DEFAULTS.spool_max_bytes,
      ),
      spool_max_reports_per_key: integer(RELAY_CONFIG_BOUNDS.spoolMaxReportsPerKey.min, RELAY_CONFIG_BOUNDS.spoolMaxReportsPerKey.max).default(
        RELAY_CONFIG_DEFAULTS.spool_max_reports_per_key,
      ),
      spool_max_bytes_per_key: integer(RELAY_CONFIG_BOUNDS.spoolMaxBytesPerKey.min, RELAY_CONFIG_BOUNDS.spoolMaxBytesPerKey.max).default(
        RELAY_CONFIG_DEFAULTS.spool_max_bytes_per_key,
      ),
      rate_limit_per_minute: integer(RELAY_CONFIG_BOUNDS.rateLimitPerMinute.min, RELAY_CONFIG_BOUNDS.rateLimitPerMinute.max).default(
        RELAY_CONFIG_DEFAULTS.rate_limit_per_minute,
      ),
      rate_limit_burst: integer(RELAY_CONFIG_BOUNDS.rateLimitBurst.min, RELAY_CONFIG_BOUNDS.rateLimitBurst.max).default(
        RELAY_CONFIG_DEFAULTS.rate_limit_burst,
      ),
    },
    { error: 'must be a map of relay settings, e.g. { listen: 0.0.0.0:8443 }' },
  )
  .superRefine((relay, ctx) => {
    if ((relay.cert_file === undefined) !== (relay.key_file === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [relay.cert_file === undefined ? 'cert_file' : 'key_file'],
        message: 'set cert_file and key_file together, or neither (a self-signed certificate is made)',
      });
    }
  });

export type RelayConfigFile = z.output<typeof relayConfigSchema>;

/** The fields alone, without the rule that a key must be given (for commands that send nothing). */
export const agentConfigFieldsSchema = z.strictObject({
  endpoint: z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a URL') })
    .max(2048, 'must be at most 2048 characters')
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })),
  key: z
    .string({ error: 'must be a string' })
    .trim()
    .regex(API_KEY_PATTERN, 'is not a Vigil key (expected vgl_<key id>_<secret>, as shown once in the dashboard)')
    .optional(),
  key_file: absolutePathSchema.optional(),
  interval_seconds: integer(AGENT_CONFIG_BOUNDS.intervalSeconds.min, AGENT_CONFIG_BOUNDS.intervalSeconds.max).default(
    AGENT_CONFIG_DEFAULTS.interval_seconds,
  ),
  allow_state_changes: booleanSchema.default(AGENT_CONFIG_DEFAULTS.allow_state_changes),
  skip_solutions: z.array(solutionIdSchema, { error: 'must be a list of solution ids, e.g. [crowdsec]' }).default([]),
  solutions: z
    .record(
      z.string(),
      // Null: `clamav:` with its settings commented out, which means none (as `field:` does above).
      z.record(z.string(), z.unknown(), { error: 'must be a map of settings, e.g. { maxSignatureAgeDays: 3 }' }).nullable(),
      { error: 'must be a map from solution id to its settings' },
    )
    .superRefine((solutions, ctx) => {
      for (const id of Object.keys(solutions)) {
        if (!isKnownSolutionId(id)) ctx.addIssue({ code: 'custom', path: [id], message: `unknown solution "${id}"` });
      }
    })
    .default({}),
  spool_dir: absolutePathSchema.default(AGENT_CONFIG_DEFAULTS.spool_dir),
  spool_max_reports: integer(AGENT_CONFIG_BOUNDS.spoolMaxReports.min, AGENT_CONFIG_BOUNDS.spoolMaxReports.max).default(
    AGENT_CONFIG_DEFAULTS.spool_max_reports,
  ),
  spool_max_bytes: integer(AGENT_CONFIG_BOUNDS.spoolMaxBytes.min, AGENT_CONFIG_BOUNDS.spoolMaxBytes.max).default(
    AGENT_CONFIG_DEFAULTS.spool_max_bytes,
  ),
  plugin_timeout_seconds: integer(AGENT_CONFIG_BOUNDS.pluginTimeoutSeconds.min, AGENT_CONFIG_BOUNDS.pluginTimeoutSeconds.max).default(
    AGENT_CONFIG_DEFAULTS.plugin_timeout_seconds,
  ),
  relay_fingerprint: relayFingerprintSchema.optional(),
  relay: relayConfigSchema.optional(),
  log_level: z.enum(AGENT_LOG_LEVELS, { error: `must be one of ${AGENT_LOG_LEVELS.join(', ')}` }).default(AGENT_CONFIG_DEFAULTS.log_level),
  // Telemetry (docs/telemetry.md): what the agent says about its host and itself, and where its
  // crashes go. Every host detail can be kept out of reports; none is needed to run the service.
  hide_host_details: z
    .array(z.enum(HOST_DETAILS, { error: `must be one of ${HOST_DETAILS.join(', ')}` }), {
      error: `must be a list, e.g. [hostname, kernel] (of ${HOST_DETAILS.join(', ')})`,
    })
    .default([]),
  send_agent_health: booleanSchema.default(AGENT_CONFIG_DEFAULTS.send_agent_health),
  error_reporting_dsn: sentryDsnSchema.optional(),
  // Plain http:// to another machine (endpoint, relay.uplink) is refused unless this says otherwise.
  allow_insecure_http: booleanSchema.default(AGENT_CONFIG_DEFAULTS.allow_insecure_http),
  // Self-update (docs/agent.md, "Updates"): whether `run` installs the version an ingest reply
  // offers, and which: `stable` follows the offer, a version stays on (or moves only to) that one.
  auto_update: booleanSchema.default(AGENT_CONFIG_DEFAULTS.auto_update),
  update_channel: z
    .string({ error: `must be ${AGENT_UPDATE_STABLE_CHANNEL} or a version like 1.4.0` })
    .trim()
    .refine(
      (value) => value === AGENT_UPDATE_STABLE_CHANNEL || agentVersionSchema.safeParse(value).success,
      `must be ${AGENT_UPDATE_STABLE_CHANNEL} or a version like 1.4.0`,
    )
    .default(AGENT_CONFIG_DEFAULTS.update_channel),
});

/** endpoint and relay.uplink: plain http only to this machine unless allow_insecure_http. Commands that send nothing check it too. */
function refuseInsecureHttp(config: { endpoint?: string; allow_insecure_http: boolean; relay?: { uplink?: string } }, ctx: z.RefinementCtx): void {
  if (config.allow_insecure_http) return;
  if (config.endpoint !== undefined && isInsecureHttpUrl(config.endpoint)) {
    ctx.addIssue({ code: 'custom', path: ['endpoint'], message: INSECURE_HTTP_MESSAGE });
  }
  if (config.relay?.uplink !== undefined && isInsecureHttpUrl(config.relay.uplink)) {
    ctx.addIssue({ code: 'custom', path: ['relay', 'uplink'], message: INSECURE_HTTP_MESSAGE });
  }
}

export const agentConfigFileSchema = agentConfigFieldsSchema.superRefine((config, ctx) => {
  refuseInsecureHttp(config, ctx);
  if (config.relay_fingerprint !== undefined && !config.endpoint.startsWith('https://')) {
    ctx.addIssue({ code: 'custom', path: ['relay_fingerprint'], message: "pins a relay's certificate: the endpoint must be https://" });
  }
  if (config.key !== undefined && config.key_file !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: 'set key or key_file, not both' });
  } else if (config.key === undefined && config.key_file === undefined) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: 'required (or key_file: a file holding the key)' });
  }
});

/** For commands that send no report of their own (`collect`, `relay`): endpoint and key may be absent. */
export const agentConfigWithoutCredentialsSchema = agentConfigFieldsSchema.partial({ endpoint: true }).superRefine(refuseInsecureHttp);

export type AgentConfigFileInput = z.input<typeof agentConfigFileSchema>;
export type AgentConfigFile = z.output<typeof agentConfigFileSchema>;
export type AgentLogLevel = (typeof AGENT_LOG_LEVELS)[number];

/** Every field name the file may hold, for "did you mean" hints. */
export const AGENT_CONFIG_FIELDS = Object.keys(agentConfigFieldsSchema.shape) as (keyof AgentConfigFile)[];

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Case, `_` and `-` ignored: `max_signature_age_days` is a near miss of `maxSignatureAgeDays`. */
function comparable(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** The closest of `candidates` to a mistyped name, when it is close enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(comparable(name), comparable(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.candidate : undefined;
}

/**
 * Config problems as `{path, message}`, one per field: an unknown key becomes
 * `intervall_seconds: unknown field (did you mean "interval_seconds"?)`, and an unknown solution id
 * gets the same hint from the catalog and the list of known ids. The settings inside
 * `solutions.<id>` are the plugins' to check (agent/src/plugins/settings.ts).
 */
export function agentConfigIssues(error: z.ZodError): IssueSummary[] {
  const solutionIds = Object.keys(SOLUTION_CATALOG);
  return error.issues.flatMap((issue): IssueSummary[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = path === '' ? AGENT_CONFIG_FIELDS : path === 'relay' ? Object.keys(relayConfigSchema.shape) : [];
      return issue.keys.map((key) => {
        const hint = closestName(key, known);
        return {
          path: path ? `${path}.${key}` : key,
          message: `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}`,
        };
      });
    }
    const unknownSolution = /^unknown solution "(.*)"$/.exec(issue.message);
    if (unknownSolution) {
      const hint = closestName(unknownSolution[1]!, solutionIds);
      const suffix = `${hint ? ` (did you mean "${hint}"?)` : ''} (known: ${solutionIds.join(', ')})`;
      return [{ path, message: `${issue.message}${suffix}` }];
    }
    return [{ path, message: issue.message }];
  });
}
