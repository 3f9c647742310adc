// A workspace's settings: their bounds (workspaceSettingsSchema, firestore.rules and the settings
// form all check these; rules-constants.test.ts pins the rules) and a new workspace's values.
export const WORKSPACE_SETTING_KEYS = ['retentionDays', 'reportingIntervalSeconds', 'failedTestThreshold'] as const;
export type WorkspaceSettingKey = (typeof WORKSPACE_SETTING_KEYS)[number];

/** Whole numbers from min to max, both included; the label is how the dashboard names the setting. */
export const WORKSPACE_SETTING_BOUNDS: Record<WorkspaceSettingKey, { min: number; max: number; label: string }> = {
  retentionDays: { min: 1, max: 365, label: 'Report retention' },
  reportingIntervalSeconds: { min: 60, max: 86_400, label: 'Reporting interval' },
  failedTestThreshold: { min: 1, max: 100, label: 'Failed-test threshold' },
};

export const DEFAULT_WORKSPACE_SETTINGS: Record<WorkspaceSettingKey, number> = {
  retentionDays: 30,
  reportingIntervalSeconds: 300,
  failedTestThreshold: 1,
};

/**
 * How long a workspace keeps its audit log (settings.auditRetentionDays, days): its own setting, apart
 * from report retention, as auditors ask for a year or more. Optional in the stored settings (older
 * workspaces have none: the default applies); firestore.rules hold it to these bounds.
 */
export const AUDIT_RETENTION_DAYS = { min: 30, max: 3650, default: 365, label: 'Activity log retention' } as const;

/**
 * Automatic key rotation (settings.keyRotationDays, days): every agent whose key is older than this
 * is asked to rotate it, the way the dashboard's "Ask to rotate" does (docs/architecture.md,
 * "Agent keys"). Optional: absent or null means off (the default); firestore.rules hold it to these
 * bounds.
 */
export const KEY_ROTATION_DAYS = { min: 7, max: 365, label: 'Automatic key rotation' } as const;
