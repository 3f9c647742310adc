// What a member chooses per event kind. firestore.rules checks the same choices
// (rules-constants.test.ts).
import type { EventKind } from './event-kinds.js';

export const NOTIFICATION_CHOICES = ['instant', 'digest', 'off'] as const;
export type NotificationChoice = (typeof NOTIFICATION_CHOICES)[number];

/** Always complete: a kind missing from a member's map never silently means "off". */
export type NotificationPreferences = Record<EventKind, NotificationChoice>;

/** A new member's choices. */
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  test_failed: 'instant',
  test_recovered: 'instant',
  config_changed: 'instant',
  solution_added: 'digest',
  solution_removed: 'instant',
  agent_offline: 'instant',
  agent_online: 'instant',
};

export function isNotificationChoice(value: unknown): value is NotificationChoice {
  return typeof value === 'string' && (NOTIFICATION_CHOICES as readonly string[]).includes(value);
}
