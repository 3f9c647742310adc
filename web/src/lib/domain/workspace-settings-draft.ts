// Validation of the settings form: the bounds that workspaceSettingsSchema and firestore.rules also
// check (WORKSPACE_SETTING_BOUNDS, LIMITS.workspaceNameLength), checked before saving so the user
// reads why instead of a refusal.
import type { WorkspaceSettings } from '@vigil/schema';
import { LIMITS, WORKSPACE_SETTING_BOUNDS, WORKSPACE_SETTING_KEYS, type WorkspaceSettingKey } from '@vigil/schema/constants';

// The form's settings (WORKSPACE_SETTING_KEYS); the optional auditRetentionDays is not one of them.
export type SettingsDraft = Record<WorkspaceSettingKey, string> & { name: string };
export type SettingsErrors = Partial<Record<keyof SettingsDraft, string>>;

export function draftFrom(name: string, settings: WorkspaceSettings): SettingsDraft {
  return {
    name,
    retentionDays: String(settings.retentionDays),
    reportingIntervalSeconds: String(settings.reportingIntervalSeconds),
    failedTestThreshold: String(settings.failedTestThreshold),
  };
}

export function validateSettings(draft: SettingsDraft): { errors: SettingsErrors; value?: { name: string; settings: WorkspaceSettings } } {
  const errors: SettingsErrors = {};
  const name = draft.name.trim();
  if (name === '') errors.name = 'Enter a name.';
  else if (name.length > LIMITS.workspaceNameLength) errors.name = `At most ${LIMITS.workspaceNameLength} characters.`;
  const settings: Partial<WorkspaceSettings> = {};
  for (const key of WORKSPACE_SETTING_KEYS) {
    const { min, max } = WORKSPACE_SETTING_BOUNDS[key];
    const text = draft[key].trim();
    const value = Number(text);
    if (text === '' || !/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) errors[key] = 'Enter a whole number.';
    else if (value < min || value > max) errors[key] = `Enter a number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`;
    else settings[key] = value;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { name, settings: settings as WorkspaceSettings } };
}
