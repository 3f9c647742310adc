import { describe, expect, it } from 'vitest';
import { silenceDeadlineMs } from '../alerts/silence.js';
import {
  copiedSettingsChange,
  keyRotationDaysSetting,
  pushedDeadlineMs,
  settingsToCopy,
  thresholdChangeWrite,
  type DeadlineFacts,
} from './agent-settings.js';

const settings = { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 };

describe('copiedSettingsChange', () => {
  it('names the copied settings that changed', () => {
    expect(copiedSettingsChange(settings, { ...settings, reportingIntervalSeconds: 600 })).toEqual({ intervalSeconds: 600 });
    expect(copiedSettingsChange(settings, { ...settings, failedTestThreshold: 3 })).toEqual({ failedTestThreshold: 3 });
    expect(copiedSettingsChange(settings, { ...settings, retentionDays: 7 })).toEqual({ retentionDays: 7 });
  });

  it('ignores changes to settings agents do not carry, and unusable values', () => {
    expect(copiedSettingsChange(settings, { ...settings, retentionDays: 0 })).toBeUndefined();
    expect(copiedSettingsChange(settings, { ...settings, retentionDays: 7.5 })).toBeUndefined();
    expect(copiedSettingsChange(settings, { ...settings, reportingIntervalSeconds: -1 })).toBeUndefined();
    expect(copiedSettingsChange(settings, { ...settings, digestHour: 9 })).toBeUndefined();
    expect(copiedSettingsChange(undefined, undefined)).toBeUndefined();
  });

  it('treats settings where there were none as a change to every copied setting', () => {
    expect(copiedSettingsChange(undefined, settings)).toEqual({ intervalSeconds: 300, failedTestThreshold: 1, retentionDays: 30 });
  });
});

describe('automatic key rotation (keyRotationDays)', () => {
  it('copies a new number of days, and turning it off (null or removed) as null', () => {
    expect(copiedSettingsChange(settings, { ...settings, keyRotationDays: 30 })).toEqual({ keyRotationDays: 30 });
    expect(copiedSettingsChange({ ...settings, keyRotationDays: 30 }, { ...settings, keyRotationDays: 90 })).toEqual({ keyRotationDays: 90 });
    expect(copiedSettingsChange({ ...settings, keyRotationDays: 30 }, { ...settings, keyRotationDays: null })).toEqual({ keyRotationDays: null });
    expect(copiedSettingsChange({ ...settings, keyRotationDays: 30 }, settings)).toEqual({ keyRotationDays: null });
  });

  it('copies nothing while it stays off or stays the same', () => {
    expect(copiedSettingsChange(settings, { ...settings, keyRotationDays: null })).toBeUndefined();
    expect(copiedSettingsChange({ ...settings, keyRotationDays: 30 }, { ...settings, keyRotationDays: 30 })).toBeUndefined();
  });

  it('reads a value outside KEY_ROTATION_DAYS (or not a whole number) as off', () => {
    expect(keyRotationDaysSetting(7)).toBe(7);
    expect(keyRotationDaysSetting(365)).toBe(365);
    for (const bad of [6, 366, 30.5, '30', undefined, null, {}]) expect(keyRotationDaysSetting(bad)).toBeNull();
    expect(copiedSettingsChange(settings, { ...settings, keyRotationDays: 6 })).toBeUndefined();
  });
});

describe('settingsToCopy', () => {
  it('copies nothing for a new workspace: its agents carry its settings from their creation', () => {
    expect(settingsToCopy({ created: true, before: undefined, after: settings })).toBeUndefined();
  });

  it('copies what changed for a workspace that existed, settings where there were none included', () => {
    expect(settingsToCopy({ created: false, before: settings, after: { ...settings, failedTestThreshold: 3 } })).toEqual({ failedTestThreshold: 3 });
    expect(settingsToCopy({ created: false, before: undefined, after: settings })).toEqual({
      intervalSeconds: 300,
      failedTestThreshold: 1,
      retentionDays: 30,
    });
    expect(settingsToCopy({ created: false, before: settings, after: { ...settings, digestHour: 9 } })).toBeUndefined();
  });
});

describe('pushedDeadlineMs', () => {
  const lastSeenAtMs = Date.parse('2026-12-02T00:00:00Z');
  const online: DeadlineFacts = {
    status: 'online',
    revoked: false,
    lastSeenAtMs,
    offlineAtMs: silenceDeadlineMs(lastSeenAtMs, { intervalSeconds: 300, announcedIntervalSeconds: 300 }),
    announcedIntervalSeconds: 300,
  };

  it('moves an online agent deadline out to what the raised interval allows', () => {
    const pushed = pushedDeadlineMs(online, 900);
    expect(pushed).toBe(silenceDeadlineMs(lastSeenAtMs, { intervalSeconds: 900, announcedIntervalSeconds: 300 }));
    expect(pushed).toBe(lastSeenAtMs + (3 * 900 + 60) * 1000);
  });

  it('never pulls a deadline in: a lower interval, or one the stored deadline already covers, keeps it', () => {
    expect(pushedDeadlineMs(online, 60)).toBeUndefined();
    expect(pushedDeadlineMs(online, 300)).toBeUndefined();
    // A later report's deadline (ingest stored it) beyond what the raise gives stays.
    expect(pushedDeadlineMs({ ...online, offlineAtMs: lastSeenAtMs + 10_000_000 }, 900)).toBeUndefined();
  });

  it('leaves agents that are offline, never seen, revoked or without a deadline alone', () => {
    expect(pushedDeadlineMs({ ...online, status: 'offline' }, 900)).toBeUndefined();
    expect(pushedDeadlineMs({ ...online, status: 'never-seen', lastSeenAtMs: null }, 900)).toBeUndefined();
    expect(pushedDeadlineMs({ ...online, revoked: true }, 900)).toBeUndefined();
    expect(pushedDeadlineMs({ ...online, offlineAtMs: null }, 900)).toBeUndefined();
  });
});

describe('thresholdChangeWrite', () => {
  it('starts the unchanged-report count again when the threshold changes, and only then', () => {
    expect(thresholdChangeWrite({ failedTestThreshold: 2 })).toEqual({ unchangedReports: 0 });
    expect(thresholdChangeWrite({ intervalSeconds: 60, retentionDays: 7 })).toEqual({});
  });
});
