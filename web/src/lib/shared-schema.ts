// Runtime values shared with functions and the agent, taken from schema/ by relative path on purpose: the package
// entry (`@vigil/schema`) re-exports every zod schema, and schema/'s `./x.js` imports do not resolve
// in Turbopack without web/scripts/schema-imports-loader.cjs. These modules import no zod, so the dashboard bundle stays free of it.
// Types come from `@vigil/schema` with `import type`, which the compiler erases.
export { dashboardLinks } from '../../../schema/src/links';
export { LIMITS } from '../../../schema/src/limits';
export { ownValue } from '../../../schema/src/own';
export { paths } from '../../../schema/src/paths';
export { SOLUTION_CATALOG, solutionDisplayName } from '../../../schema/src/solutions';
export { browserEnvelopeUrl, parseSentryDsn, sentryEnvelope } from '../../../schema/src/error-report';
