// The config file after enrollment: `endpoint` and `key_file` (and `relay_fingerprint` when given)
// set, an inline `key:` gone, and every other byte as it was: comments, order, quoting, blank lines.
// The file is edited as text at the positions the YAML parser gives for those fields, not parsed and
// printed again (which would reflow it). Pure: the command reads and writes the file.
//   a field present    → its value is replaced in place (a comment after it stays)
//   an inline `key:`   → its line is removed; when the file had no `key_file:`, `key_file:` takes
//                        that line (a comment on the key's line goes with it: it was about the key)
//   a field absent     → appended at the end
import { isMap, isScalar, parseDocument, stringify, type Pair, type Scalar } from 'yaml';

export interface EnrolledFields {
  endpoint: string;
  keyFile: string;
  /** The relay's certificate pin, when enrolling through a relay with --relay-fingerprint. */
  relayFingerprint?: string;
}

export class ConfigUpdateError extends Error {
  override name = 'ConfigUpdateError';
}

/** The text of a new config file. */
export function newConfigText(fields: EnrolledFields): string {
  return `# Written by "vigil-agent enroll". Every field: docs/agent.md, "Configuration".\n${fieldLines(fields).join('\n')}\n`;
}

function scalarText(name: string, value: string): string {
  // A fingerprint of digits alone would read as a number: always quoted (docs/agent.md says so too).
  if (name === 'relay_fingerprint') return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function fieldEntries(fields: EnrolledFields): [string, string][] {
  return [
    ['endpoint', fields.endpoint],
    ['key_file', fields.keyFile],
    ...(fields.relayFingerprint !== undefined ? [['relay_fingerprint', fields.relayFingerprint] as [string, string]] : []),
  ];
}

function fieldLines(fields: EnrolledFields): string[] {
  return fieldEntries(fields).map(([name, value]) => `${name}: ${scalarText(name, value)}`);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Just past the newline ending the line at `offset` (or the end of the text). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function lineNumber(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Updates an existing config's text; throws ConfigUpdateError (naming the line) when it cannot be edited safely. */
export function updateConfigText(text: string, fields: EnrolledFields): string {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    const at = document.errors[0]!.pos[0];
    // Only the position: the parser's own message quotes the text around it, which may hold a key.
    throw new ConfigUpdateError(`is not valid YAML (line ${lineNumber(text, at)}): fix it or move it away, then enroll again`);
  }
  const root = document.contents;
  if (root === null) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${fieldLines(fields).join('\n')}\n`;
  if (!isMap(root) || root.flow) throw new ConfigUpdateError('must be a YAML mapping of "field: value" lines');

  const pairs = new Map<string, Pair>();
  for (const pair of root.items) if (isScalar(pair.key) && typeof pair.key.value === 'string') pairs.set(pair.key.value, pair);
  const edits: Edit[] = [];
  const appended: string[] = [];

  const keyPair = pairs.get('key');
  let keyFileTakesKeyLine = false;
  if (keyPair) {
    const key = keyPair.key as Scalar;
    const value = keyPair.value as Scalar | null;
    const start = key.range![0];
    const end = (value?.range ?? key.range!)[2];
    if (text.slice(lineStart(text, start), start).trim() !== '') {
      throw new ConfigUpdateError(`the key: field (line ${lineNumber(text, start)}) must be on a line of its own`);
    }
    if (lineNumber(text, start) !== lineNumber(text, Math.max(start, end - 1))) {
      throw new ConfigUpdateError(`the key: field (line ${lineNumber(text, start)}) must be on one line`);
    }
    keyFileTakesKeyLine = !pairs.has('key_file');
    edits.push({
      start: lineStart(text, start),
      end: lineEnd(text, start),
      text: keyFileTakesKeyLine ? `key_file: ${scalarText('key_file', fields.keyFile)}\n` : '',
    });
  }

  for (const [name, wanted] of fieldEntries(fields)) {
    if (name === 'key_file' && keyFileTakesKeyLine) continue;
    const pair = pairs.get(name);
    if (!pair) {
      appended.push(`${name}: ${scalarText(name, wanted)}`);
      continue;
    }
    const value = pair.value as Scalar | null;
    if (value !== null && !isScalar(value)) {
      throw new ConfigUpdateError(`${name}: (line ${lineNumber(text, (pair.key as Scalar).range![0])}) must be a single value`);
    }
    const replacement = scalarText(name, wanted);
    if (!value || value.range![0] === value.range![1]) {
      // `endpoint:` with no value: the value goes after the colon (before a comment, if any).
      const at = value?.range?.[0] ?? (pair.key as Scalar).range![1];
      const next = text[at];
      const before = text[at - 1] === ' ' ? '' : ' ';
      edits.push({ start: at, end: at, text: `${before}${replacement}${next === undefined || next === '\n' ? '' : ' '}` });
    } else {
      edits.push({ start: value.range![0], end: value.range![1], text: replacement });
    }
  }

  let updated = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    updated = updated.slice(0, edit.start) + edit.text + updated.slice(edit.end);
  }
  if (appended.length > 0) updated = `${updated}${updated === '' || updated.endsWith('\n') ? '' : '\n'}${appended.join('\n')}\n`;
  checkResult(updated, fields);
  return updated;
}

/** The edited text must say exactly what was meant: anything else is a bug here, and nothing is written. */
function checkResult(text: string, fields: EnrolledFields): void {
  const document = parseDocument(text, { uniqueKeys: true });
  const values = document.errors.length === 0 ? (document.toJS() as Record<string, unknown> | null) : undefined;
  const ok =
    values !== undefined &&
    values !== null &&
    values.endpoint === fields.endpoint &&
    values.key_file === fields.keyFile &&
    !Object.hasOwn(values, 'key') &&
    (fields.relayFingerprint === undefined || values.relay_fingerprint === fields.relayFingerprint);
  if (!ok) throw new ConfigUpdateError('could not be updated safely (set endpoint and key_file in it by hand, remove key:, and enroll again)');
}
