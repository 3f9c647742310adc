// Runtime values shared with functions, taken from schema/ by relative path on purpose: the package
// entry (`@vigil/schema`) re-exports every zod schema, and schema/'s `./x.js` imports do not resolve
// in Turbopack. These three modules import nothing, so the dashboard bundle stays free of zod.
// Types come from `@vigil/schema` with `import type`, which the compiler erases.
export { dashboardLinks } from '../../../schema/src/links';
export { paths } from '../../../schema/src/paths';
export { SOLUTION_CATALOG, solutionDisplayName } from '../../../schema/src/solutions';
