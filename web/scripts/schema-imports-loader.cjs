// schema/ is TypeScript ESM: it imports `./own.js` for own.ts, as Node and esbuild (functions, agent)
// expect. Turbopack does not map a `.js` specifier to its `.ts` source (vercel/next.js#82945), so
// the dashboard's build rewrites the relative imports of schema/src files to extensionless ones,
// which it resolves. Applied to schema/src only (next.config.ts).
const RELATIVE_JS_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+)\.js\2/g;

module.exports = function schemaImportsLoader(source) {
  return source.replace(RELATIVE_JS_IMPORT, '$1$2$3$2');
};
