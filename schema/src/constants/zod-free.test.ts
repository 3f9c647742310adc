// The dashboard imports `@vigil/schema/constants` to stay free of zod (some 60 kB). This walks the
// entry's relative imports, as a bundler would, and fails on any module that imports a package.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));
// Static imports and re-exports, `import type` included (erased, but a type-only zod import is a
// hint that a runtime one is near); dynamic imports are not used in schema/.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function packageImports(entry: string): { module: string; imports: string }[] {
  const found: { module: string; imports: string }[] = [];
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (specifier.startsWith('.')) queue.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else found.push({ module: path.relative(path.dirname(entry), file), imports: specifier });
    }
  }
  return found;
}

describe('@vigil/schema/constants', () => {
  it('reaches no package, zod least of all, through any of its modules', () => {
    expect(packageImports(ENTRY)).toEqual([]);
  });
});
