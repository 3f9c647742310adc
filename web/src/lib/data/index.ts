// The data layer: every Firestore read and write of the dashboard, each taking the database as a
// parameter. Pages load this module with a dynamic import (lib/lazy.ts), so the Firestore SDK is
// not part of any page's first-load JavaScript.
export * from './acks';
export * from './agents';
export * from './audit';
export * from './enrollment-tokens';
export * from './events';
export * from './fleet-summary';
export * from './invitations';
export * from './members';
export * from './workspace';
