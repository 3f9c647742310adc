// The settings a plugin accepts under `solutions.<id>` in the agent config. Each plugin declares
// them as a strict zod object with a default for each that has one; the config loader checks the
// config against them (config/load-config.ts), so a misspelt, unknown or mistyped setting is an
// error that names its path, never silently ignored. docs/agent.md lists them per solution.
import { closestName, type IssueSummary, type KnownSolutionId } from '@vigil/schema';
import { z } from 'zod';
import { ownRecord } from '../host/own-data.js';
import type { SolutionPlugin } from './plugin.js';

export type SettingsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/**
 * A plugin's settings. A `solutions.<id>` that is not a map never reaches it: the config schema of
 * @vigil/schema refuses that first.
 */
export function settingsSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape);
}

/** For the plugins that take none: any key under `solutions.<id>` is refused. */
export const NO_SETTINGS = settingsSchema({});

/** A limit in days, minutes…: a number above zero (fractions allowed: 0.5 days is 12 hours). */
export function positiveNumber(fallback: number) {
  return z.number({ error: 'must be a number' }).positive('must be greater than 0').default(fallback);
}

/** A file or directory of the tool's, instead of where the plugin looks by default. */
export const absolutePath = z
  .string({ error: 'must be a path' })
  .max(4096, 'must be at most 4096 characters')
  .refine((value) => value.startsWith('/'), 'must be an absolute path')
  .refine((value) => !value.includes('\0'), 'must not contain NUL');

/** What a plugin receives: the settings after parsing, with the defaults filled in. */
export type SettingsOf<Schema extends SettingsSchema> = z.output<Schema>;

/**
 * A plugin's settings, parsed: defaults filled in, or the problems, each with its full path
 * (`solutions.clamav.maxSignatureAgeDayz: unknown setting (did you mean "maxSignatureAgeDays"?)`).
 */
export function parseSettings(
  plugin: SolutionPlugin,
  raw: unknown,
): { ok: true; settings: Record<string, unknown> } | { ok: false; issues: IssueSummary[] } {
  // `setting:` with nothing after it means unset, as at the top level of the config.
  const isMap = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const given = isMap ? ownRecord(Object.entries(raw).filter(([, value]) => value !== null)) : (raw ?? {});
  const schema = plugin.settings;
  const parsed = schema.safeParse(given);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const prefix = `solutions.${plugin.id}`;
  const known = Object.keys(schema.shape);
  const issues = parsed.error.issues.flatMap((issue): IssueSummary[] => {
    const path = [prefix, ...issue.path.map(String)].join('.');
    if (issue.code !== 'unrecognized_keys') return [{ path, message: issue.message }];
    return issue.keys.map((key) => {
      const hint = closestName(key, known);
      const help = known.length === 0 ? `${plugin.id} has no settings` : hint ? `did you mean "${hint}"?` : `known: ${known.join(', ')}`;
      return { path: `${path}.${key}`, message: `unknown setting (${help})` };
    });
  });
  return { ok: false, issues };
}

/** Every plugin's settings, keyed by its id: what the config loader hands to collection. */
export type PluginSettings = Partial<Record<KnownSolutionId, Record<string, unknown>>>;

/**
 * Parses the config's `solutions:` map for every plugin: each gets its settings with its defaults
 * filled in (all defaults when the config names it not). Ids no plugin has, and values that are not
 * maps, are left to the config schema of @vigil/schema, which names them already.
 */
export function checkSolutionSettings(plugins: readonly SolutionPlugin[], solutions: unknown): { settings: PluginSettings; issues: IssueSummary[] } {
  const settings: PluginSettings = {};
  const issues: IssueSummary[] = [];
  const given = typeof solutions === 'object' && solutions !== null && !Array.isArray(solutions) ? (solutions as Record<string, unknown>) : {};
  // Those the config names first, in its order, so the problems come in the order of its lines.
  const named = Object.keys(given).flatMap((id) => plugins.filter((plugin) => plugin.id === id));
  for (const plugin of [...named, ...plugins.filter((plugin) => !named.includes(plugin))]) {
    // `id:` with nothing after it (its settings commented out) means no settings.
    const raw = Object.hasOwn(given, plugin.id) ? given[plugin.id] : undefined;
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) continue;
    const result = parseSettings(plugin, raw);
    if (result.ok) settings[plugin.id] = result.settings;
    else issues.push(...result.issues);
  }
  return { settings, issues };
}
