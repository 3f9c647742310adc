// Agent labels (`agents/{id}.labels`): what makes a label key and value valid, and how an
// enrollment's labels combine. Zod-free, so the dashboard's forms check with the same rules the
// functions enforce (exported from `@vigil/schema/constants`); the zod schema is in enrollment.ts.
import { LABEL_LIMITS } from './constants/enrollment.js';

/** A label key: starts with a lower-case letter or digit, then lower-case letters, digits, "-", "_", ".". */
export const LABEL_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
/** A label value: printable ASCII and the space (no control characters), possibly empty. */
export const LABEL_VALUE_PATTERN = /^[\x20-\x7e]*$/;

export type AgentLabels = Record<string, string>;

/** Why `key` cannot be a label key, or undefined when it can. */
export function labelKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (key.length > LABEL_LIMITS.keyLength) return `must be at most ${LABEL_LIMITS.keyLength} characters`;
  if (!LABEL_KEY_PATTERN.test(key)) return 'must start with a lower-case letter or digit and use only a-z, 0-9, "-", "_" and "."';
  return undefined;
}

/** Why `value` cannot be a label value, or undefined when it can. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be text';
  if (value.length > LABEL_LIMITS.valueLength) return `must be at most ${LABEL_LIMITS.valueLength} characters`;
  if (!LABEL_VALUE_PATTERN.test(value)) return 'must be printable text (letters, digits, punctuation, spaces)';
  return undefined;
}

/** The first problem of a whole label map, naming the label; undefined when every label is valid. */
export function labelsProblem(labels: Record<string, unknown>): string | undefined {
  const entries = Object.entries(labels);
  if (entries.length > LABEL_LIMITS.maxLabels) return `at most ${LABEL_LIMITS.maxLabels} labels, not ${entries.length}`;
  for (const [key, value] of entries) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) return `label key ${JSON.stringify(key.slice(0, LABEL_LIMITS.keyLength + 1))} ${keyProblem}`;
    const valueProblem = labelValueProblem(value);
    if (valueProblem) return `the value of label "${key}" ${valueProblem}`;
  }
  return undefined;
}

/**
 * `key=value` as the CLI and the dashboard write a label; the value may be empty and may contain
 * "=". Undefined for text without "=" (no key).
 */
export function parseLabel(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

/**
 * The labels an enrolled agent gets: the host's own, then the token's over them. The token's win:
 * whoever made the token decided them, and a host must not be able to move itself out of
 * `env=prod` by sending its own value. Built with Object.fromEntries: keys are data.
 */
export function mergeEnrollmentLabels(tokenLabels: AgentLabels, hostLabels: AgentLabels): AgentLabels {
  return Object.fromEntries([...Object.entries(hostLabels).filter(([key]) => !Object.hasOwn(tokenLabels, key)), ...Object.entries(tokenLabels)]);
}

/** The longest `key=value` pair: a key and a value at their limits, and the "=". */
export const LABEL_PAIR_MAX_LENGTH = LABEL_LIMITS.keyLength + 1 + LABEL_LIMITS.valueLength;

/** One label as a pair, `key=value`: the form events carry labels in and the events page filters by. */
export function labelPair(key: string, value: string): string {
  return `${key}=${value}`;
}

/**
 * An agent's labels as `key=value` pairs, sorted by key: how an event keeps the labels its agent had
 * when it happened (`events/{id}.labelPairs`), so one `array-contains` filter, and one composite
 * index per combination with the other filters, serves every label key (an index names its field
 * paths; `labels.<key>` would need one per key). Read tolerantly from a stored document: own
 * entries only, an entry that is no valid label skipped, at most LABEL_LIMITS.maxLabels; so a pair
 * is at most LABEL_PAIR_MAX_LENGTH characters and splits back at its first "=" (keys hold none).
 */
export function labelPairs(labels: unknown): string[] {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return [];
  return Object.entries(labels)
    .filter((entry): entry is [string, string] => labelKeyProblem(entry[0]) === undefined && labelValueProblem(entry[1]) === undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, LABEL_LIMITS.maxLabels)
    .map(([key, value]) => labelPair(key, value));
}

/** A stored pair back as its key and value (split at the first "="); undefined for text that is no pair. */
export function splitLabelPair(pair: string): { key: string; value: string } | undefined {
  const at = pair.indexOf('=');
  return at <= 0 ? undefined : { key: pair.slice(0, at), value: pair.slice(at + 1) };
}
