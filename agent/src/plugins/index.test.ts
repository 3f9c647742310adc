import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOLUTION_CATALOG } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { allPlugins } from './index.js';

const AGENT_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/agent.md');

describe('the plugin registry', () => {
  it('has exactly one plugin per solution of the catalog, in catalog order', () => {
    expect(allPlugins.map((plugin) => plugin.id)).toEqual(Object.keys(SOLUTION_CATALOG));
  });

  it('has every plugin declare its settings, strictly, with defaults that pass its own schema', () => {
    for (const plugin of allPlugins) {
      expect(plugin.settings, plugin.id).toBeDefined();
      const defaults = plugin.settings.parse({});
      expect(plugin.settings.parse(defaults), plugin.id).toEqual(defaults);
      expect(plugin.settings.safeParse({ notASetting: 1 }).success, plugin.id).toBe(false);
    }
  });

  it('matches the per-solution settings table of docs/agent.md: every setting, and its default', () => {
    const doc = readFileSync(AGENT_DOC, 'utf8');
    const section = doc.slice(doc.indexOf('### Per-solution settings'), doc.indexOf('## Command line'));
    const documented = [...section.matchAll(/^\| `([a-z-]+)` \| `(\w+)` \| [^|]+ \| ([^|]+) \|/gm)].map(([, id, name, fallback]) => ({
      id,
      name,
      fallback: fallback!.trim(),
    }));
    const declared = allPlugins.flatMap((plugin) => {
      const defaults = plugin.settings.parse({});
      return Object.keys(plugin.settings.shape).map((name) => ({ id: plugin.id, name, fallback: defaults[name] }));
    });
    expect(documented.map(({ id, name }) => `${id}.${name}`)).toEqual(declared.map(({ id, name }) => `${id}.${name}`));
    for (const [index, { fallback }] of declared.entries()) {
      const written = documented[index]!.fallback;
      if (fallback === undefined) expect(written, `${declared[index]!.id}.${declared[index]!.name}`).toMatch(/^none/);
      else expect(written.replace(/`/g, ''), `${declared[index]!.id}.${declared[index]!.name}`).toBe(String(fallback));
    }
  });
});
