// Agent labels as the dashboard's forms write and show them: `key=value`, one a line (the token
// dialog, the agent page's editor) or one in the agents list's filter. What a valid key and value
// are is schema's (labels.ts, the rules the functions enforce); this file turns text into labels
// and says, per line, what is wrong. Keys are data: every map is built with Object.fromEntries.
import { LABEL_LIMITS, labelKeyProblem, labelValueProblem, parseLabel, type AgentLabels } from '@vigil/schema/constants';

export interface LabelLinesResult {
  /** The labels of the valid lines; meaningful only when `problems` is empty. */
  labels: AgentLabels;
  /** One sentence per bad line, naming its line number; empty when the text is valid. */
  problems: string[];
}

/** The problem of one `key=value` text, or the label it holds. */
function readLabel(text: string): { key: string; value: string } | { problem: string } {
  const label = parseLabel(text);
  if (!label) return { problem: 'write it as key=value' };
  const keyProblem = labelKeyProblem(label.key);
  if (keyProblem) return { problem: `the key ${keyProblem}` };
  const valueProblem = labelValueProblem(label.value);
  if (valueProblem) return { problem: `the value ${valueProblem}` };
  return label;
}

/**
 * Labels from text, one `key=value` a line; blank lines are skipped. A key given twice, more than
 * LABEL_LIMITS.maxLabels labels, or a bad line is a problem (the form shows them all and sends nothing).
 */
export function parseLabelLines(text: string): LabelLinesResult {
  const problems: string[] = [];
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const label = readLabel(line.trim());
    if ('problem' in label) problems.push(`Line ${index + 1}: ${label.problem}.`);
    else if (seen.has(label.key)) problems.push(`Line ${index + 1}: the key "${label.key}" is given twice.`);
    else {
      seen.add(label.key);
      entries.push([label.key, label.value]);
    }
  });
  if (entries.length > LABEL_LIMITS.maxLabels) problems.push(`At most ${LABEL_LIMITS.maxLabels} labels, not ${entries.length}.`);
  return { labels: Object.fromEntries(entries), problems };
}

/** Labels as the editor's text: one `key=value` a line, by key. */
export function formatLabelLines(labels: AgentLabels): string {
  return labelEntries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** Labels by key, for chips and lists. */
export function labelEntries(labels: AgentLabels): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export type LabelFilterResult = { label: { key: string; value: string } | null } | { problem: string };

/** The agents list's label filter as typed: empty is no filter; otherwise exactly one valid `key=value`. */
export function parseLabelFilter(text: string): LabelFilterResult {
  if (text.trim() === '') return { label: null };
  const label = readLabel(text.trim());
  if ('problem' in label) return { problem: `Not a label filter: ${label.problem}.` };
  return { label };
}

/** Labels read tolerantly from a document: string values only, as own entries whatever the keys. */
export function labelsFromDoc(value: unknown): AgentLabels {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
