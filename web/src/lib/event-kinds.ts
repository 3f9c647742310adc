// The event kinds and notification defaults of schema/src/documents.ts, restated here so the
// dashboard does not bundle zod; event-kinds.test.ts checks that both lists agree.
import type { EventKind, NotificationPreferences } from '@vigil/schema';

export const EVENT_KINDS = [
  'test_failed',
  'test_recovered',
  'config_changed',
  'solution_added',
  'solution_removed',
  'agent_offline',
  'agent_online',
] as const satisfies readonly EventKind[];

// A kind added to the schema but not here fails to compile.
type Missing = Exclude<EventKind, (typeof EVENT_KINDS)[number]>;
const everyKindListed: Missing extends never ? true : Missing = true;
void everyKindListed;

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  test_failed: 'Test failed',
  test_recovered: 'Test recovered',
  config_changed: 'Configuration changed',
  solution_added: 'Solution added',
  solution_removed: 'Solution removed',
  agent_offline: 'Agent offline',
  agent_online: 'Agent back online',
};

/** Chakra color palettes; every kind's meaning is also in its text, never in color alone. */
export const EVENT_KIND_PALETTES: Record<EventKind, string> = {
  test_failed: 'red',
  test_recovered: 'green',
  config_changed: 'orange',
  solution_added: 'blue',
  solution_removed: 'orange',
  agent_offline: 'red',
  agent_online: 'green',
};

export const NOTIFICATION_CHOICES = ['instant', 'digest', 'off'] as const;
export type NotificationChoice = (typeof NOTIFICATION_CHOICES)[number];

export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  test_failed: 'instant',
  test_recovered: 'instant',
  config_changed: 'instant',
  solution_added: 'digest',
  solution_removed: 'instant',
  agent_offline: 'instant',
  agent_online: 'instant',
};

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}

export function isNotificationChoice(value: unknown): value is NotificationChoice {
  return typeof value === 'string' && (NOTIFICATION_CHOICES as readonly string[]).includes(value);
}
