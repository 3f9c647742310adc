// Validation of the settings form: the bounds that workspaceSettingsSchema and firestore.rules also
// check (WORKSPACE_SETTING_BOUNDS, AUDIT_RETENTION_DAYS, KEY_ROTATION_DAYS, LIMITS.workspaceNameLength),
// checked before saving so the user reads why instead of a refusal.
import type { WorkspaceSettings } from '@vigil/schema';
import {
  AUDIT_RETENTION_DAYS,
  KEY_ROTATION_DAYS,
  LIMITS,
  WORKSPACE_SETTING_BOUNDS,
  WORKSPACE_SETTING_KEYS,
  type WorkspaceSettingKey,
} from '@vigil/schema/constants';

/** The days the form offers when automatic key rotation is switched on (a suggestion; any day count within KEY_ROTATION_DAYS saves). */
export const SUGGESTED_KEY_ROTATION_DAYS = 90;

// The form's settings: WORKSPACE_SETTING_KEYS, and two optional ones: the activity log's retention
// (a workspace from before the audit log has none; shown as its default then) and automatic key
// rotation (absent or null: off; `keyRotation` is the form's switch, its days kept while it is off).
export type SettingsDraft = Record<WorkspaceSettingKey, string> & {
  name: string;
  auditRetentionDays: string;
  keyRotation: 'on' | 'off';
  keyRotationDays: string;
};
export type SettingsErrors = Partial<Record<keyof SettingsDraft, string>>;

export function draftFrom(name: string, settings: WorkspaceSettings): SettingsDraft {
  const rotationDays = settings.keyRotationDays ?? null;
  return {
    name,
    retentionDays: String(settings.retentionDays),
    reportingIntervalSeconds: String(settings.reportingIntervalSeconds),
    failedTestThreshold: String(settings.failedTestThreshold),
    auditRetentionDays: String(settings.auditRetentionDays ?? AUDIT_RETENTION_DAYS.default),
    keyRotation: rotationDays === null ? 'off' : 'on',
    keyRotationDays: String(rotationDays ?? SUGGESTED_KEY_ROTATION_DAYS),
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
  // Off saves null (updateWorkspaceSettings removes the field); the days are checked only when on.
  if (draft.keyRotation === 'off') settings.keyRotationDays = null;
  else {
    const rotation = wholeNumberIn(draft.keyRotationDays, KEY_ROTATION_DAYS.min, KEY_ROTATION_DAYS.max);
    if ('error' in rotation) errors.keyRotationDays = rotation.error;
    else settings.keyRotationDays = rotation.value;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { name, settings: settings as WorkspaceSettings } };
}
