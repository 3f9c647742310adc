// Bundles src/main.ts into one file, dist/vigil-agent.mjs, that runs on Node 18.3+ with no
// node_modules: zod, yaml, smol-toml and @vigil/schema are inlined, only node: builtins stay imports.
// Beside it, install.sh: the installer with the units of systemd/ put in (install-script.mjs).
//
//   node build.mjs [--outfile FILE]
//
// VIGIL_AGENT_VERSION_OVERRIDE=0.0.9-test (tests only, with --outfile elsewhere than dist/): a
// bundle that says it is another version, so that the self-update's tests have two real builds
// of different versions (agent/test/support/other-version.ts). package.json stays the one home of
// the real version; the override refuses to write dist/, which the dashboard serves.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildInstallScript } from './install-script.mjs';

const AGENT_DIR = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(AGENT_DIR, 'package.json'), 'utf8'));

const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const outfile = path.resolve(values.outfile ?? path.join(AGENT_DIR, 'dist', 'vigil-agent.mjs'));
const versionOverride = process.env.VIGIL_AGENT_VERSION_OVERRIDE;
if (versionOverride !== undefined) {
  if (!/^[0-9A-Za-z.+-]{1,64}$/.test(versionOverride)) {
    console.error('build: VIGIL_AGENT_VERSION_OVERRIDE must be a version like 0.0.9-test');
    process.exit(2);
  }
  if (path.dirname(outfile) === path.join(AGENT_DIR, 'dist')) {
    console.error('build: VIGIL_AGENT_VERSION_OVERRIDE is for test builds: give an --outfile outside agent/dist/');
    process.exit(2);
  }
}
const version = versionOverride ?? pkg.version;

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

// @vigil/schema is consumed as source with side-effectful module bodies (schema construction), so
// esbuild keeps all of it. Its modules are pure declarations: marked side-effect free, the ones the
// agent does not import (documents, callables, paths…) are left out, and so is the memory their
// schemas would take at start-up.
const SCHEMA_SRC = path.join(path.dirname(AGENT_DIR), 'schema', 'src') + path.sep;
const schemaWithoutSideEffects = {
  name: 'schema-without-side-effects',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      if (args.path !== '@vigil/schema' && !args.importer.startsWith(SCHEMA_SRC)) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(SCHEMA_SRC)) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

// yaml's "node" export is CommonJS, which esbuild can neither tree-shake nor hoist; its ESM build
// (published for browsers, plain JavaScript with no browser API) is the same code as modules, so the
// parts the agent does not use (stringifying, YAML 1.1 tags) are left out.
const yamlAsModules = {
  name: 'yaml-as-modules',
  setup(pluginBuild) {
    const yamlDir = path.dirname(createRequire(path.join(AGENT_DIR, 'package.json')).resolve('yaml/package.json'));
    pluginBuild.onResolve({ filter: /^yaml$/ }, () => ({ path: path.join(yamlDir, 'browser', 'index.js') }));
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
  banner: { js: '#!/usr/bin/env node' },
  define: { __VIGIL_AGENT_VERSION__: JSON.stringify(version) },
  legalComments: 'eof',
  metafile: true,
  plugins: [englishOnlyZod, schemaWithoutSideEffects, yamlAsModules],
  logLevel: 'warning',
});

chmodSync(outfile, 0o755);
// CommonJS code that requires a Node builtin gets esbuild's throwing require() shim in an ESM bundle.
if (readFileSync(outfile, 'utf8').includes('Dynamic require of')) {
  console.error('build: a bundled CommonJS module calls require(); bundle its ESM build instead (see yamlAsModules)');
  process.exit(1);
}
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
const externals = new Set(
  Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external).map((entry) => entry.path)),
);
const nonBuiltin = [...externals].filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
if (nonBuiltin.length) {
  console.error(`build: the bundle imports packages it should contain: ${nonBuiltin.join(', ')}`);
  process.exit(1);
}
console.log(`built ${path.relative(process.cwd(), outfile) || outfile} (${(bytes / 1024).toFixed(0)} KiB, vigil-agent ${version})`);

const installScript = path.join(path.dirname(outfile), 'install.sh');
writeFileSync(installScript, buildInstallScript(), { mode: 0o755 });
console.log(`built ${path.relative(process.cwd(), installScript) || installScript} (the units of agent/systemd/ included)`);
