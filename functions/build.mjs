// Bundles src/index.ts into lib/index.js for the emulator and for `firebase deploy`.
// The @vigil/schema workspace is inlined (deploy installs functions/ alone from the registry,
// where it does not exist); every package in "dependencies" stays external and is installed there.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);

await build({
  entryPoints: [new URL('./src/index.ts', import.meta.url).pathname],
  outfile: new URL('./lib/index.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
  legalComments: 'none',
});
