import { DEFAULT_NOTIFICATION_PREFERENCES as SCHEMA_DEFAULTS, EVENT_KINDS as SCHEMA_KINDS, notificationChoiceSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_PREFERENCES, EVENT_KINDS, NOTIFICATION_CHOICES } from './event-kinds';

describe('event kinds restated for the dashboard', () => {
  it('match the schema', () => {
    expect([...EVENT_KINDS]).toEqual([...SCHEMA_KINDS]);
    expect(DEFAULT_NOTIFICATION_PREFERENCES).toEqual(SCHEMA_DEFAULTS);
    expect([...NOTIFICATION_CHOICES]).toEqual(notificationChoiceSchema.options);
  });
});
