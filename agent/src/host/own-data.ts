// Data parsed from a host's files and commands (YAML, JSON, TOML, INI, environment files) is written
// by whoever can write those files, and the agent runs as root. So every parsed table is made of
// null-prototype objects holding own keys only: a key named `__proto__`, `constructor` or
// `toString` is an ordinary key, a lookup of a key the file does not set finds nothing (never a
// member of Object.prototype), and nothing the file says can reach Object.prototype.

/** A parsed table: own keys only, no prototype. */
export type OwnRecord<Value = unknown> = { [key: string]: Value };

/** A record with no prototype, filled from entries (a later entry wins, as in the files). */
export function ownRecord<Value>(entries: Iterable<readonly [string, Value]> = []): OwnRecord<Value> {
  const record = Object.create(null) as OwnRecord<Value>;
  // With no prototype there is no `__proto__` setter: every name is a plain own property.
  for (const [key, value] of entries) record[key] = value;
  return record;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A deep copy of a parsed value in which every plain object is an OwnRecord of its own enumerable
 * keys. Arrays stay arrays; shared and cyclic references (YAML aliases) stay shared, not expanded.
 */
export function ownData(value: unknown): unknown {
  const copies = new Map<object, unknown>();
  const copy = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const known = copies.get(node);
    if (known !== undefined) return known;
    if (Array.isArray(node)) {
      const items: unknown[] = [];
      copies.set(node, items);
      for (const item of node) items.push(copy(item));
      return items;
    }
    if (!isPlainObject(node)) return node;
    const record = ownRecord<unknown>();
    copies.set(node, record);
    for (const key of Object.keys(node)) record[key] = copy((node as OwnRecord)[key]);
    return record;
  };
  return copy(value);
}

/** JSON.parse, with every object an OwnRecord. Throws a SyntaxError as JSON.parse does. */
export function parseJsonData(text: string): unknown {
  return ownData(JSON.parse(text));
}

/** A parsed YAML document's value (yaml's `toJS`), with every mapping an OwnRecord. */
export function yamlData(document: { toJS(options?: { maxAliasCount?: number }): unknown }, maxAliasCount = 100): unknown {
  return ownData(document.toJS({ maxAliasCount }));
}
