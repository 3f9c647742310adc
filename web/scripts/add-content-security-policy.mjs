#!/usr/bin/env node
// Runs after `next build`: writes the Content-Security-Policy into every page of the static export
// (web/out/**/*.html) as the first element of its <head>, with the sha256 of that page's own inline
// scripts, so the policy allows them and no other inline script (no 'unsafe-inline' for scripts).
// The policy itself is built by src/lib/config/content-security-policy.ts, from the same NEXT_PUBLIC_*
// configuration the build used (loaded with Next's own loader, so .env.production.local wins too).
// Hosting adds frame-ancestors and the other headers (firebase.json).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nextEnv from '@next/env';
import { build } from 'esbuild';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = path.join(webDir, 'out');

/** The TypeScript modules, bundled for Node (this script runs on plain Node, without a TS loader). */
async function loadPolicyModules() {
  const entry = path.join(webDir, 'scripts', '.csp-entry.ts');
  const source = [
    `export * from ${JSON.stringify(path.join(webDir, 'src/lib/config/content-security-policy.ts'))};`,
    `export { parsePublicEnv } from ${JSON.stringify(path.join(webDir, 'src/lib/config/env.ts'))};`,
  ].join('\n');
  const result = await build({
    stdin: { contents: source, resolveDir: webDir, loader: 'ts', sourcefile: entry },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
}

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(full);
    return entry.name.endsWith('.html') ? [full] : [];
  });
}

async function main() {
  nextEnv.loadEnvConfig(webDir, false, { info: () => {}, error: console.error });
  const { contentSecurityPolicy, inlineScriptHashes, withPolicyMeta, parsePublicEnv } = await loadPolicyModules();
  // The same checks as the build itself: a missing variable or emulators on a real project stop here too.
  const env = parsePublicEnv(process.env);
  const pages = htmlFiles(outDir);
  if (pages.length === 0) throw new Error(`No pages in ${outDir}: run \`next build\` first.`);
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    const policy = contentSecurityPolicy({
      projectId: env.firebase.projectId,
      authDomain: env.firebase.authDomain,
      useEmulators: env.useEmulators,
      googleSignIn: env.googleSignIn,
      sentryDsn: process.env.NEXT_PUBLIC_SENTRY_DSN,
      scriptHashes: inlineScriptHashes(html),
    });
    writeFileSync(page, withPolicyMeta(html, policy));
  }
  console.log(`add-content-security-policy: ${pages.length} pages (${env.useEmulators ? 'emulators' : env.firebase.projectId})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`add-content-security-policy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
