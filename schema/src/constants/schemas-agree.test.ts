// The zod schemas accept exactly what the constants list (they are built from them), and the
// defaults are values the schemas accept.
import { describe, expect, it } from 'vitest';
import { eventKindSchema, notificationChoiceSchema, notificationPreferencesSchema, workspaceSettingsSchema } from '../documents.js';
import { roleSchema } from '../common.js';
import { EVENT_KINDS } from './event-kinds.js';
import { DEFAULT_NOTIFICATION_PREFERENCES, NOTIFICATION_CHOICES } from './notifications.js';
import { ROLES } from './roles.js';
import { DEFAULT_WORKSPACE_SETTINGS } from './workspace-settings.js';

describe('the schemas and @vigil/schema/constants', () => {
  it('match', () => {
    expect([...EVENT_KINDS]).toEqual(eventKindSchema.options);
    expect(notificationPreferencesSchema.parse(DEFAULT_NOTIFICATION_PREFERENCES)).toEqual(DEFAULT_NOTIFICATION_PREFERENCES);
    expect([...NOTIFICATION_CHOICES]).toEqual(notificationChoiceSchema.options);
    expect([...ROLES]).toEqual(roleSchema.options);
    expect(workspaceSettingsSchema.parse(DEFAULT_WORKSPACE_SETTINGS)).toEqual(DEFAULT_WORKSPACE_SETTINGS);
  });
});
