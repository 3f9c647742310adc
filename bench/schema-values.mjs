// The schema's own constants for the plain-JavaScript benchmarks (schema/ is TypeScript): bundled
// by esbuild into bench/.build once per run, so seeded data follows the schema instead of a copy.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** { SOLUTION_CATALOG, EVENT_KINDS, DEFAULT_NOTIFICATION_PREFERENCES } from schema/src. */
export async function schemaValues() {
  const outfile = path.join(REPO_ROOT, 'bench', '.build', 'schema-values.mjs');
  await build({
    stdin: {
      contents: [
        // The zod-free constants entry: documents.ts uses these but exports none of them.
        "export { SOLUTION_CATALOG, EVENT_KINDS, DEFAULT_NOTIFICATION_PREFERENCES } from './schema/src/constants/index.js';",
      ].join('\n'),
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['zod'],
    logLevel: 'warning',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
