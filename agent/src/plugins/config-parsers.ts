// Parsers for the configuration formats of fail2ban (`fail2ban-client -d` prints Python lists),
// certbot (configobj INI), Vector (TOML, by smol-toml) and systemd's EnvironmentFile=. The small
// ones read what the plugins report, not the whole grammar. Every table they return holds own keys
// only (Maps, or OwnRecords of own-data.ts): a file's `__proto__` is just a name.
import { parse as parseTomlDocument, TomlError } from 'smol-toml';
import { ownData, ownRecord, type OwnRecord } from '../host/own-data.js';

export type PythonValue = string | number | boolean | null | PythonValue[];

/**
 * Parses one Python literal as `repr()` prints it: lists, tuples, single- or double-quoted strings
 * with escapes, numbers, True/False/None. Returns undefined when the text is not such a literal.
 */
export function parsePythonLiteral(text: string): PythonValue | undefined {
  let index = 0;
  const skipSpace = () => {
    while (index < text.length && /\s/.test(text[index]!)) index += 1;
  };
  const fail = (): never => {
    throw new SyntaxError(`unexpected "${text.slice(index, index + 10)}"`);
  };
  const parseString = (): string => {
    let prefix = '';
    while (/[rbuRBU]/.test(text[index] ?? '')) prefix += text[index++];
    const quote = text[index];
    if (quote !== "'" && quote !== '"') fail();
    index += 1;
    let result = '';
    while (index < text.length && text[index] !== quote) {
      const char = text[index]!;
      if (char === '\\' && !prefix.toLowerCase().includes('r')) {
        const next = text[index + 1] ?? '';
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
        if (Object.hasOwn(simple, next)) {
          result += simple[next];
          index += 2;
        } else if (next === 'x' || next === 'u') {
          const length = next === 'x' ? 2 : 4;
          result += String.fromCharCode(parseInt(text.slice(index + 2, index + 2 + length), 16));
          index += 2 + length;
        } else {
          result += char;
          index += 1;
        }
      } else {
        result += char;
        index += 1;
      }
    }
    if (text[index] !== quote) fail();
    index += 1;
    return result;
  };
  const parseValue = (): PythonValue => {
    skipSpace();
    const char = text[index];
    if (char === '[' || char === '(') {
      const close = char === '[' ? ']' : ')';
      index += 1;
      const items: PythonValue[] = [];
      skipSpace();
      while (text[index] !== close) {
        items.push(parseValue());
        skipSpace();
        if (text[index] === ',') {
          index += 1;
          skipSpace();
        } else if (text[index] !== close) fail();
      }
      index += 1;
      return items;
    }
    if (char === "'" || char === '"' || /[rbuRBU]['"]/.test(text.slice(index, index + 2))) return parseString();
    const word = /^(True|False|None|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(text.slice(index))?.[1];
    if (!word) return fail();
    index += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    return Number(word);
  };
  try {
    const value = parseValue();
    skipSpace();
    return index === text.length ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * INI as certbot (configobj) and many tools write it: `key = value` lines, `[section]` headers,
 * `#`/`;` comments. Keys before the first section go in the "" section.
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>([['', new Map()]]);
  let current = sections.get('')!;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[+\s*([^\]]+?)\s*\]+$/.exec(line);
    if (header) {
      current = sections.get(header[1]!) ?? new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (pair) current.set(pair[1]!, pair[2]!.replace(/\s+#.*$/, '').trim());
  }
  return sections;
}

/**
 * A systemd EnvironmentFile= as systemd reads it (systemd.exec(5), and the state machine of its
 * src/basic/env-file.c), so a command run with these variables sees what the service sees:
 * - `KEY=VALUE` lines; whitespace around the key and the `=` is ignored, and so are lines without `=`
 *   and lines whose first non-blank character is `#` or `;` (a `#` later in a line is part of the value);
 * - an unquoted value loses its trailing whitespace, a backslash keeps the next character as is and a
 *   backslash at the end of a line continues the value on the next one;
 * - a value (or part of one) in single quotes is verbatim; in double quotes a backslash escapes only
 *   `"`, `\`, `` ` ``, `$` and a newline. Quotes and following text join: `A="x"y` is `xy`;
 * - no `$VAR` expansion; later assignments win;
 * - an assignment whose name is not a variable name (letters, digits, `_`, not starting with a digit)
 *   is dropped, as systemd drops it: `export KEY=value` sets nothing.
 */
export function parseEnvironmentFile(text: string): OwnRecord<string> {
  const NEWLINE = '\n\r';
  const WHITESPACE = ' \t\n\r';
  const variables = new Map<string, string>();
  type State = 'preKey' | 'key' | 'preValue' | 'value' | 'valueEscape' | 'single' | 'double' | 'doubleEscape' | 'comment';
  let state: State = 'preKey';
  let key = '';
  let value = '';
  /** Where trailing whitespace of the key or the unquoted value starts, or -1. */
  let keyEnd = -1;
  let valueEnd = -1;
  const push = (trimValue: boolean) => {
    const name = keyEnd >= 0 ? key.slice(0, keyEnd) : key;
    const content = trimValue && valueEnd >= 0 ? value.slice(0, valueEnd) : value;
    // A NUL cannot be in an environment (and spawn refuses it).
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !content.includes('\0')) variables.set(name, content);
    key = '';
    value = '';
    keyEnd = -1;
    valueEnd = -1;
  };
  for (const char of text) {
    switch (state) {
      case 'preKey':
        if (char === '#' || char === ';') state = 'comment';
        else if (!WHITESPACE.includes(char)) {
          state = 'key';
          key = char;
          keyEnd = -1;
        }
        break;
      case 'key':
        if (NEWLINE.includes(char)) {
          state = 'preKey';
          key = '';
        } else if (char === '=') {
          state = 'preValue';
          valueEnd = -1;
        } else {
          if (!WHITESPACE.includes(char)) keyEnd = -1;
          else if (keyEnd < 0) keyEnd = key.length;
          key += char;
        }
        break;
      case 'preValue':
        if (NEWLINE.includes(char)) {
          state = 'preKey';
          push(false);
        } else if (char === "'") state = 'single';
        else if (char === '"') state = 'double';
        else if (char === '\\') state = 'valueEscape';
        else if (!WHITESPACE.includes(char)) {
          state = 'value';
          value += char;
        }
        break;
      case 'value':
        if (NEWLINE.includes(char)) {
          state = 'preKey';
          push(true);
        } else if (char === '\\') {
          state = 'valueEscape';
          valueEnd = -1;
        } else {
          if (!WHITESPACE.includes(char)) valueEnd = -1;
          else if (valueEnd < 0) valueEnd = value.length;
          value += char;
        }
        break;
      case 'valueEscape':
        state = 'value';
        // An escaped newline is a line continuation: it vanishes.
        if (!NEWLINE.includes(char)) value += char;
        break;
      case 'single':
        if (char === "'") state = 'preValue';
        else value += char;
        break;
      case 'double':
        if (char === '"') state = 'preValue';
        else if (char === '\\') state = 'doubleEscape';
        else value += char;
        break;
      case 'doubleEscape':
        state = 'double';
        if ('"\\`$'.includes(char)) value += char;
        else if (char !== '\n') value += `\\${char}`;
        break;
      case 'comment':
        // Since systemd 254 a backslash no longer continues a comment onto the next line.
        if (NEWLINE.includes(char)) state = 'preKey';
        break;
    }
  }
  // The last line needs no newline; a key without `=` sets nothing.
  if (state !== 'preKey' && state !== 'key' && state !== 'comment') push(state === 'value');
  // Handed to spawn as (part of) a child's environment: no prototype, so only these names reach it.
  return ownRecord(variables);
}

/**
 * A TOML document (Vector's config) by smol-toml, a complete TOML 1.0 parser, as OwnRecords (see
 * own-data.ts): `[__proto__]` or `a.constructor.prototype = 1` are ordinary keys of the document.
 * A document that is not TOML throws an Error whose message is the parser's first line and the
 * position: the parser's own message goes on to quote the file's lines, which may hold secrets.
 */
export function parseToml(text: string): OwnRecord {
  try {
    return ownData(parseTomlDocument(text)) as OwnRecord;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new Error(`invalid TOML at line ${error.line}, column ${error.column}: ${reason}`);
  }
}
