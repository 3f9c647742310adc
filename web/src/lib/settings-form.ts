// Validation of the settings form: the bounds of workspaceSettingsSchema (schema/src/documents.ts)
// and of firestore.rules, checked before saving so the user reads why instead of a refusal.
import type { WorkspaceSettings } from '@vigil/schema';

export const SETTING_BOUNDS: Record<keyof WorkspaceSettings, { min: number; max: number; label: string }> = {
  retentionDays: { min: 1, max: 365, label: 'Report retention' },
  reportingIntervalSeconds: { min: 60, max: 86_400, label: 'Reporting interval' },
  failedTestThreshold: { min: 1, max: 100, label: 'Failed-test threshold' },
};

export const WORKSPACE_NAME_MAX = 100;

export type SettingsDraft = Record<keyof WorkspaceSettings, string> & { name: string };
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
  else if (name.length > WORKSPACE_NAME_MAX) errors.name = `At most ${WORKSPACE_NAME_MAX} characters.`;
  const settings: Partial<WorkspaceSettings> = {};
  for (const key of Object.keys(SETTING_BOUNDS) as (keyof WorkspaceSettings)[]) {
    const { min, max } = SETTING_BOUNDS[key];
    const text = draft[key].trim();
    const value = Number(text);
    if (text === '' || !/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) errors[key] = 'Enter a whole number.';
    else if (value < min || value > max) errors[key] = `Enter a number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`;
    else settings[key] = value;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { name, settings: settings as WorkspaceSettings } };
}
