// `@vigil/schema/constants`: the half of schema/ that imports no zod, so the dashboard bundles it
// without zod: the constants every side needs, and the pure helpers built only on them (Firestore
// paths, dashboard links, own-property lookups, the Sentry envelope). The zod schemas of
// `@vigil/schema` build on these (z.enum(EVENT_KINDS), ...); `@vigil/schema` re-exports all of it.
// zod-free.test.ts keeps every module this entry reaches free of zod.
export * from './audit-actions.js';
export * from './enrollment.js';
export * from './event-kinds.js';
export * from './notifications.js';
export * from './plural.js';
export * from './protocol.js';
export * from './roles.js';
export * from './team-policy.js';
export * from './teams.js';
export * from './workspace-settings.js';
export * from '../document-id.js';
export * from '../error-report.js';
export * from '../labels.js';
export * from '../limits.js';
export * from '../links.js';
export * from '../own.js';
export * from '../paths.js';
export * from '../solutions.js';
