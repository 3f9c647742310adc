// Validation of the settings form: the bounds that workspaceSettingsSchema and firestore.rules also
// check (WORKSPACE_SETTING_BOUNDS, AUDIT_RETENTION_DAYS, LIMITS.workspaceNameLength), checked before
// saving so the user reads why instead of a refusal.
import type { WorkspaceSettings } from '@vigil/schema';
import { AUDIT_RETENTION_DAYS, LIMITS, WORKSPACE_SETTING_BOUNDS, WORKSPACE_SETTING_KEYS, type WorkspaceSettingKey } from '@vigil/schema/constants';

// The form's settings: WORKSPACE_SETTING_KEYS, and the activity log's retention, which is optional in
// the stored settings (a workspace from before the audit log has none) and shown as its default then.
export type SettingsDraft = Record<WorkspaceSettingKey, string> & { name: string; auditRetentionDays: string };
export type SettingsErrors = Partial<Record<keyof SettingsDraft, string>>;

export function draftFrom(name: string, settings: WorkspaceSettings): SettingsDraft {
  return {
    name,
    retentionDays: String(settings.retentionDays),
    reportingIntervalSeconds: String(settings.reportingIntervalSeconds),
    failedTestThreshold: String(settings.failedTestThreshold),
    auditRetentionDays: String(settings.auditRetentionDays ?? AUDIT_RETENTION_DAYS.default),
  };
}

/** A whole number from `min` to `max` typed in a field: the number, or why not. */
function wholeNumberIn(text: string, min: number, max: number): { value: number } | { error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(value)) return { error: 'Enter a whole number.' };
  if (value < min || value > max) return { error: `Enter a number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.` };
  return { value };
}

export function validateSettings(draft: SettingsDraft): { errors: SettingsErrors; value?: { name: string; settings: WorkspaceSettings } } {
  const errors: SettingsErrors = {};
  const name = draft.name.trim();
  if (name === '') errors.name = 'Enter a name.';
  else if (name.length > LIMITS.workspaceNameLength) errors.name = `At most ${LIMITS.workspaceNameLength} characters.`;
  const settings: Partial<WorkspaceSettings> = {};
  for (const key of WORKSPACE_SETTING_KEYS) {
    const { min, max } = WORKSPACE_SETTING_BOUNDS[key];
    const checked = wholeNumberIn(draft[key], min, max);
    if ('error' in checked) errors[key] = checked.error;
    else settings[key] = checked.value;
  }
  const audit = wholeNumberIn(draft.auditRetentionDays, AUDIT_RETENTION_DAYS.min, AUDIT_RETENTION_DAYS.max);
  if ('error' in audit) errors.auditRetentionDays = audit.error;
  else settings.auditRetentionDays = audit.value;
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { name, settings: settings as WorkspaceSettings } };
}
