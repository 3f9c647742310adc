// The agent's config file (/etc/vigil/agent.yaml), as written by an administrator: snake_case keys,
// every field named in errors, unknown keys refused (a typo must not silently do nothing).
// The agent (agent/src/config/load-config.ts) reads the YAML, applies environment overrides, parses
// with this schema, resolves the key and returns a camelCase config.
import { z } from 'zod';
import { API_KEY_PATTERN } from './api-key.js';
import type { IssueSummary } from './errors.js';
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
  skip_solutions: z
    .array(solutionIdSchema, { error: 'must be a list of solution ids, e.g. [crowdsec]' })
    .default([]),
  solutions: z
    .record(
      z.string(),
      z.record(z.string(), z.unknown(), { error: 'must be a map of settings, e.g. { maxSignatureAgeDays: 3 }' }),
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
  plugin_timeout_seconds: integer(
    AGENT_CONFIG_BOUNDS.pluginTimeoutSeconds.min,
    AGENT_CONFIG_BOUNDS.pluginTimeoutSeconds.max,
  ).default(AGENT_CONFIG_DEFAULTS.plugin_timeout_seconds),
  log_level: z
    .enum(AGENT_LOG_LEVELS, { error: `must be one of ${AGENT_LOG_LEVELS.join(', ')}` })
    .default(AGENT_CONFIG_DEFAULTS.log_level),
});

export const agentConfigFileSchema = agentConfigFieldsSchema.superRefine((config, ctx) => {
  if (config.key !== undefined && config.key_file !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: 'set key or key_file, not both' });
  } else if (config.key === undefined && config.key_file === undefined) {
    ctx.addIssue({ code: 'custom', path: ['key'], message: 'required (or key_file: a file holding the key)' });
  }
});

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

/** The closest of `candidates` to a mistyped name, when it is close enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.candidate : undefined;
}

/**
 * Config problems as `{path, message}`, one per field: an unknown key becomes
 * `intervall_seconds: unknown field (did you mean "interval_seconds"?)`, and an unknown solution id
 * gets the same hint from the catalog.
 */
export function agentConfigIssues(error: z.ZodError): IssueSummary[] {
  const solutionIds = Object.keys(SOLUTION_CATALOG);
  return error.issues.flatMap((issue): IssueSummary[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = path === '' ? AGENT_CONFIG_FIELDS : [];
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
      const suffix = hint ? ` (did you mean "${hint}"?)` : ` (known: ${solutionIds.join(', ')})`;
      return [{ path, message: `${issue.message}${suffix}` }];
    }
    return [{ path, message: issue.message }];
  });
}
