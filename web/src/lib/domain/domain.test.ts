import { describe, expect, it } from 'vitest';
import { diffValues } from './config-diff';
import { hourlyFleetTests } from './overview-figures';
import { draftFrom, SUGGESTED_KEY_ROTATION_DAYS, validateSettings } from './workspace-settings-draft';

describe('overview chart', () => {
  // Who counts as online, offline, revoked or failing is the summarizeFleets schedule's
  // (functions/src/summary/fleet-summary.test.ts and summarize-fleets.int.test.ts test it, the
  // revoked agent that counts as revoked only among them); the overview draws the summary's points.
  const now = new Date('2026-01-02T12:30:00Z');
  const hour = (iso: string, passed: number, failed: number) => ({ hour: iso, passed, failed });

  it('carries the last point forward through hours without one, up to now, and leaves out hours before the first', () => {
    const series = hourlyFleetTests([hour('2026-01-02T12:00:00.000Z', 7, 2), hour('2026-01-02T09:00:00.000Z', 4, 1)], now);
    expect(series).toEqual([
      hour('2026-01-02T09:00:00.000Z', 4, 1),
      hour('2026-01-02T10:00:00.000Z', 4, 1),
      hour('2026-01-02T11:00:00.000Z', 4, 1),
      hour('2026-01-02T12:00:00.000Z', 7, 2),
    ]);
    // An hour since the last point: it is carried to now's hour.
    expect(hourlyFleetTests([hour('2026-01-02T09:00:00.000Z', 4, 1)], new Date('2026-01-02T11:59:00Z')).map((b) => b.passed)).toEqual([4, 4, 4]);
  });

  it('keeps the last `hours` hours, starting from the value of the point before them', () => {
    const series = hourlyFleetTests([hour('2025-12-01T00:00:00.000Z', 9, 9), hour('2026-01-02T11:00:00.000Z', 5, 0)], now, 3);
    expect(series).toEqual([hour('2026-01-02T10:00:00.000Z', 9, 9), hour('2026-01-02T11:00:00.000Z', 5, 0), hour('2026-01-02T12:00:00.000Z', 5, 0)]);
    expect(hourlyFleetTests([hour('2026-01-02T12:00:00.000Z', 1, 0)], now)).toHaveLength(1);
  });

  it('draws nothing without a point, ignores unparsable hours and ends at a point just ahead of a slow browser clock', () => {
    expect(hourlyFleetTests([], now)).toEqual([]);
    expect(hourlyFleetTests([hour('not a time', 1, 1)], now)).toEqual([]);
    const ahead = hourlyFleetTests(
      [hour('2026-01-02T12:00:00.000Z', 3, 0), hour('2026-01-02T13:00:00.000Z', 4, 0), hour('2026-01-03T00:00:00.000Z', 9, 9)],
      now,
    );
    expect(ahead).toEqual([hour('2026-01-02T12:00:00.000Z', 3, 0), hour('2026-01-02T13:00:00.000Z', 4, 0)]);
  });
});

describe('settings form', () => {
  const valid = draftFrom('Home', { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 });

  it('accepts whole numbers within the bounds of the schema and the rules', () => {
    expect(validateSettings(valid).value).toEqual({
      name: 'Home',
      // A workspace from before the audit log has no auditRetentionDays: the form shows and saves the default.
      // Nor keyRotationDays: automatic key rotation is off, saved as null (the write removes the field).
      settings: { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1, auditRetentionDays: 365, keyRotationDays: null },
    });
    expect(validateSettings({ ...valid, retentionDays: '365', reportingIntervalSeconds: '86400', failedTestThreshold: '100' }).value).toBeDefined();
  });

  it("keeps the activity log's own retention, from 30 to 3650 days", () => {
    const stored = draftFrom('Home', { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1, auditRetentionDays: 730 });
    expect(stored.auditRetentionDays).toBe('730');
    expect(validateSettings({ ...stored, auditRetentionDays: '30' }).value?.settings.auditRetentionDays).toBe(30);
    expect(validateSettings({ ...stored, auditRetentionDays: ' 3650 ' }).value?.settings.auditRetentionDays).toBe(3650);
    // Report retention and the activity log's are separate: one at its maximum leaves the other alone.
    expect(validateSettings({ ...stored, retentionDays: '365' }).value?.settings).toMatchObject({ retentionDays: 365, auditRetentionDays: 730 });
  });

  it('turns automatic key rotation on from 7 to 365 days, and off whatever days are typed', () => {
    expect(valid).toMatchObject({ keyRotation: 'off', keyRotationDays: String(SUGGESTED_KEY_ROTATION_DAYS) });
    const stored = draftFrom('Home', { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1, keyRotationDays: 30 });
    expect(stored).toMatchObject({ keyRotation: 'on', keyRotationDays: '30' });
    expect(draftFrom('Home', { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1, keyRotationDays: null }).keyRotation).toBe(
      'off',
    );
    expect(validateSettings({ ...stored, keyRotationDays: '7' }).value?.settings.keyRotationDays).toBe(7);
    expect(validateSettings({ ...stored, keyRotationDays: '365' }).value?.settings.keyRotationDays).toBe(365);
    for (const refused of ['6', '366', '30.5', '', 'monthly']) {
      const result = validateSettings({ ...stored, keyRotationDays: refused });
      expect(result.value).toBeUndefined();
      expect(result.errors.keyRotationDays).toBe(refused === '6' || refused === '366' ? 'Enter a number from 7 to 365.' : 'Enter a whole number.');
    }
    // Off, the days are not checked (the field is hidden) and nothing but null is saved.
    const off = validateSettings({ ...stored, keyRotation: 'off', keyRotationDays: '6' });
    expect(off.errors).toEqual({});
    expect(off.value?.settings.keyRotationDays).toBeNull();
  });

  it.each([
    ['retentionDays', '0'],
    ['retentionDays', '366'],
    ['retentionDays', '1.5'],
    ['reportingIntervalSeconds', '59'],
    ['reportingIntervalSeconds', '86401'],
    ['failedTestThreshold', '0'],
    ['failedTestThreshold', 'abc'],
    ['failedTestThreshold', ''],
    ['name', '  '],
    ['auditRetentionDays', '29'],
    ['auditRetentionDays', '3651'],
    ['auditRetentionDays', '365.5'],
    ['auditRetentionDays', ''],
  ] as const)('refuses %s = %j with a message', (field, text) => {
    const result = validateSettings({ ...valid, [field]: text });
    expect(result.value).toBeUndefined();
    expect(result.errors[field]).toMatch(/\w/);
  });
});

describe('configuration diffs', () => {
  it('diffs lists item by item and other values as before and after', () => {
    expect(diffValues(['22'], ['22', '2222'])).toEqual({ kind: 'list', removed: [], added: ['2222'], kept: ['22'] });
    expect(diffValues('no', 'yes')).toEqual({ kind: 'value', before: 'no', after: 'yes' });
    expect(diffValues(null, 3)).toEqual({ kind: 'value', before: null, after: '3' });
  });
});
