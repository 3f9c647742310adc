// `@vigil/schema`: the zod schemas and types, and everything of `@vigil/schema/constants` (the
// zod-free half the dashboard imports) that they build on.
export * from './constants/index.js';
export * from './agent-config.js';
export * from './api-key.js';
export * from './callables.js';
export * from './common.js';
export * from './documents.js';
export * from './enrollment.js';
export * from './sentry-dsn.js';
export * from './errors.js';
export * from './firestore-size.js';
export * from './ids.js';
export * from './report.js';
export * from './teams.js';
