// Files the agent parses are written by whoever can write them, and the agent runs as root: no key
// in them may reach Object.prototype (and from there every child's environment), and no lookup of a
// key a file does not set may find a member of Object.prototype instead.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnvironmentFile, parseIni } from './config-parsers.js';
import { parseVectorConfig } from './vector.js';

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function expectPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const name of ['LD_PRELOAD', 'polluted', 'x', 'type', 'endpoint']) expect(probe[name]).toBeUndefined();
}

/** A parsed table answers only its own keys: members of Object.prototype are not found in it. */
function expectOwnKeysOnly(table: unknown): void {
  const record = table as Record<string, unknown>;
  expect(Object.getPrototypeOf(record)).toBeNull();
  for (const member of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    if (!Object.hasOwn(record, member)) expect(record[member]).toBeUndefined();
  }
}

afterEach(() => {
  // Whatever a failing test did, the next one starts clean.
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    if (!PROTOTYPE_KEYS.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
  }
});

function toml(text: string): Record<string, unknown> {
  const parsed = parseVectorConfig('/etc/vector/vector.toml', text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.config;
}

describe('TOML (Vector configs)', () => {
  it('keeps a [__proto__] table as an ordinary key', () => {
    const config = toml('[__proto__]\nLD_PRELOAD = "/tmp/evil.so"\npolluted = true\n');
    expectPrototypeUntouched();
    expect(Object.keys(config)).toEqual(['__proto__']);
    expect(config['__proto__']).toEqual({ LD_PRELOAD: '/tmp/evil.so', polluted: true });
    expectOwnKeysOnly(config);
  });

  it('keeps [constructor.prototype] and dotted __proto__.x keys as ordinary keys', () => {
    const config = toml('__proto__.x = 1\n[constructor.prototype]\npolluted = "yes"\n[sinks.out]\ntype = "console"\n__proto__.type = "x"\n');
    expectPrototypeUntouched();
    expect(Object.keys(config).sort()).toEqual(['__proto__', 'constructor', 'sinks']);
    expect(config.constructor).toEqual({ prototype: { polluted: 'yes' } });
    const sink = (config.sinks as Record<string, Record<string, unknown>>).out!;
    expect(sink.type).toBe('console');
    expectOwnKeysOnly(config);
    expectOwnKeysOnly(sink);
  });

  it('refuses a document that is not TOML, naming the position but not quoting the file', () => {
    const parsed = parseVectorConfig('/etc/vector/vector.toml', '[sinks.es]\nendpoint = "https://elastic:s3cret@es:9200"\nauth = {\n');
    expect(parsed).toEqual({ error: expect.stringMatching(/^invalid TOML at line \d+, column \d+: /) });
    expect(JSON.stringify(parsed)).not.toContain('s3cret');
  });
});

describe('YAML and JSON (Vector configs; the same helpers serve every plugin)', () => {
  it('keeps __proto__: keys as ordinary keys and answers own keys only', () => {
    for (const [file, text] of [
      ['/etc/vector/vector.yaml', '__proto__:\n  polluted: true\nsinks:\n  out:\n    __proto__: { type: x }\n'],
      ['/etc/vector/vector.json', '{"__proto__": {"polluted": true}, "sinks": {"out": {"__proto__": {"type": "x"}}}}'],
    ] as const) {
      const parsed = parseVectorConfig(file, text);
      if ('error' in parsed) throw new Error(parsed.error);
      expectPrototypeUntouched();
      expectOwnKeysOnly(parsed.config);
      const sink = (parsed.config.sinks as Record<string, Record<string, unknown>>).out!;
      expectOwnKeysOnly(sink);
      expect(sink.type).toBeUndefined();
    }
  });
});

describe('environment files and INI', () => {
  it('keep __proto__ and constructor as plain names, in tables with own keys only', () => {
    const variables = parseEnvironmentFile('__proto__=x\nconstructor=y\nA=1\n');
    expectPrototypeUntouched();
    expectOwnKeysOnly(variables);
    expect({ ...variables }).toEqual({ ['__proto__']: 'x', constructor: 'y', A: '1' });
    const ini = parseIni('[__proto__]\npolluted = 1\n');
    expectPrototypeUntouched();
    expect(ini.get('__proto__')?.get('polluted')).toBe('1');
  });
});

describe('every parser of host data goes through own-data.ts', () => {
  it('no plugin or config loader builds a table with JSON.parse, toJS or Object.fromEntries itself', () => {
    const sources = [new URL('./', import.meta.url), new URL('../config/', import.meta.url)].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
        .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') })),
    );
    expect(sources.length).toBeGreaterThan(10);
    const offenders = sources.filter(({ text }) => /JSON\.parse\(|\.toJS\(|Object\.fromEntries\(/.test(text)).map(({ name }) => name);
    expect(offenders).toEqual([]);
  });
});
