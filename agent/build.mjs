// Bundles src/main.ts into one file, dist/vigil-agent.mjs, that runs on Node 18.3+ with no
// node_modules: zod, yaml and @vigil/schema are inlined, only node: builtins stay imports.
//
//   node build.mjs [--outfile FILE]
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const AGENT_DIR = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(AGENT_DIR, 'package.json'), 'utf8'));

const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const outfile = path.resolve(values.outfile ?? path.join(AGENT_DIR, 'dist', 'vigil-agent.mjs'));

// zod ships the error messages of ~40 languages (about 250 KiB minified) behind `z.locales`; the
// agent speaks English only, so that index is replaced by one holding `en` alone.
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: path.resolve(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: [path.join(AGENT_DIR, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  minify: true,
  // Bundled CommonJS code (none today) would call require(): give it one.
  banner: {
    js: "#!/usr/bin/env node\nimport{createRequire as __vigilRequire}from'node:module';const require=__vigilRequire(import.meta.url);",
  },
  define: { __VIGIL_AGENT_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'eof',
  metafile: true,
  plugins: [englishOnlyZod],
  logLevel: 'warning',
});

chmodSync(outfile, 0o755);
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
const externals = new Set(
  Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external).map((entry) => entry.path)),
);
const nonBuiltin = [...externals].filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
if (nonBuiltin.length) {
  console.error(`build: the bundle imports packages it should contain: ${nonBuiltin.join(', ')}`);
  process.exit(1);
}
console.log(`built ${path.relative(process.cwd(), outfile) || outfile} (${(bytes / 1024).toFixed(0)} KiB, vigil-agent ${pkg.version})`);
