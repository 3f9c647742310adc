// Parsers for the configuration formats of fail2ban (`fail2ban-client -d` prints Python lists),
// certbot (configobj INI), Vector (TOML) and systemd's EnvironmentFile=, kept small: they read what
// the plugins report, not the whole grammar.

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
        if (next in simple) {
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
export function parseEnvironmentFile(text: string): Record<string, string> {
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
  // fromEntries makes own properties even of names such as __proto__.
  return Object.fromEntries(variables);
}

export type TomlValue = string | number | boolean | TomlValue[] | { [key: string]: TomlValue };
export type TomlTable = { [key: string]: TomlValue };

function splitTomlKey(key: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < key.length && (match = pattern.exec(key))) {
    parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return parts;
}

function parseTomlScalar(raw: string): TomlValue | undefined {
  const value = raw.trim();
  if (value.startsWith('"')) {
    const match = /^"((?:[^"\\]|\\.)*)"/.exec(value);
    return match ? JSON.parse(`"${match[1]}"`) : undefined;
  }
  if (value.startsWith("'")) return /^'([^']*)'/.exec(value)?.[1];
  if (value.startsWith('[')) {
    const items: TomlValue[] = [];
    const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(-?\d+(?:\.\d+)?|true|false)/g;
    const body = value.slice(1, value.lastIndexOf(']'));
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(body))) {
      if (match[1] !== undefined) items.push(JSON.parse(`"${match[1]}"`));
      else if (match[2] !== undefined) items.push(match[2]);
      else items.push(match[3] === 'true' ? true : match[3] === 'false' ? false : Number(match[3]));
    }
    return items;
  }
  const bare = value.replace(/\s+#.*$/, '');
  if (bare === 'true' || bare === 'false') return bare === 'true';
  if (/^[-+]?\d[\d_]*(\.\d+)?$/.test(bare)) return Number(bare.replace(/_/g, ''));
  return undefined;
}

/**
 * The tables and simple values of a TOML document: `[a.b]` headers, `key = value` with strings,
 * numbers, booleans and arrays of them (arrays may span lines). Multi-line strings and inline tables
 * are skipped: Vector keeps VRL programs in them, and the plugin never reads those.
 */
export function parseTomlTables(text: string): TomlTable {
  const root: TomlTable = {};
  let currentPath: string[] = [];
  const lines = text.split('\n');
  const tableAt = (path: string[]): TomlTable => {
    let table = root;
    for (const part of path) {
      const next = table[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) table[part] = {};
      table = table[part] as TomlTable;
    }
    return table;
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
    if (header) {
      currentPath = splitTomlKey(header[1]!);
      tableAt(currentPath);
      continue;
    }
    const pair = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+|\s)+?)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    let raw = pair[2]!;
    if (raw.startsWith('"""') || raw.startsWith("'''")) {
      const fence = raw.slice(0, 3);
      if (raw.slice(3).includes(fence)) continue;
      while (index + 1 < lines.length && !lines[index + 1]!.includes(fence)) index += 1;
      index += 1;
      continue;
    }
    if (raw.startsWith('[')) {
      let depth = 0;
      const count = (chunk: string) => {
        for (const char of chunk.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '')) {
          if (char === '[') depth += 1;
          if (char === ']') depth -= 1;
        }
      };
      count(raw);
      while (depth > 0 && index + 1 < lines.length) {
        index += 1;
        const next = lines[index]!.replace(/\s+#.*$/, '');
        raw += ` ${next.trim()}`;
        count(next);
      }
    }
    const key = splitTomlKey(pair[1]!);
    const value = parseTomlScalar(raw);
    if (value === undefined || key.length === 0) continue;
    tableAt([...currentPath, ...key.slice(0, -1)])[key[key.length - 1]!] = value;
  }
  return root;
}
