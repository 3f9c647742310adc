import { describe, expect, it } from 'vitest';
import { copiedSettingsChange } from './agent-settings.js';

const settings = { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 };

describe('copiedSettingsChange', () => {
  it('names the copied settings that changed', () => {
    expect(copiedSettingsChange(settings, { ...settings, reportingIntervalSeconds: 600 })).toEqual({ intervalSeconds: 600 });
    expect(copiedSettingsChange(settings, { ...settings, failedTestThreshold: 3 })).toEqual({ failedTestThreshold: 3 });
  });

  it('ignores changes to settings agents do not carry, and unusable values', () => {
    expect(copiedSettingsChange(settings, { ...settings, retentionDays: 90 })).toBeUndefined();
    expect(copiedSettingsChange(settings, { ...settings, reportingIntervalSeconds: -1 })).toBeUndefined();
    expect(copiedSettingsChange(undefined, undefined)).toBeUndefined();
  });

  it('treats a new workspace as a change to every copied setting', () => {
    expect(copiedSettingsChange(undefined, settings)).toEqual({ intervalSeconds: 300, failedTestThreshold: 1 });
  });
});
