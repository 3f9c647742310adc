// Delivery of reports to the ingest: spool, send, back off. See delivery.ts.
export { createDelivery } from './delivery.js';
export type {
  Delivery,
  DeliveryConfig,
  DeliveryDeps,
  DeliveryError,
  DeliveryErrorKind,
  DeliveryOutcome,
  DeliveryStatus,
  ProbeResult,
} from './delivery.js';
export { AGENT_KEY_HEADER } from './protocol.js';
