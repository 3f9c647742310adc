import { describe, expect, it } from 'vitest';
import { UnexpectedShapeError, parseBootstrapResult, workspaceFromDoc } from './workspace';

describe('parseBootstrapResult', () => {
  it('accepts the callable reply', () => {
    expect(parseBootstrapResult({ workspaceId: 'ws1', role: 'owner', created: true })).toEqual({
      workspaceId: 'ws1',
      role: 'owner',
      created: true,
    });
  });

  it.each([
    null,
    { workspaceId: '', role: 'owner', created: true },
    { workspaceId: 'ws1', role: 'root', created: true },
    { workspaceId: 'ws1', role: 'viewer' },
  ])('rejects %j', (reply) => {
    expect(() => parseBootstrapResult(reply)).toThrow(UnexpectedShapeError);
  });
});

describe('workspaceFromDoc', () => {
  const createdAt = new Date('2026-01-02T03:04:05Z');
  const timestamp = { toDate: () => createdAt };

  it('reads name, creation time and settings', () => {
    const settings = { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 };
    expect(workspaceFromDoc('ws1', { name: 'Home lab', createdAt: timestamp, settings })).toEqual({
      id: 'ws1',
      name: 'Home lab',
      createdAt,
      settings,
    });
  });

  it('reads the optional settings: automatic key rotation is on with a number of days, off when absent, null or malformed', () => {
    const base = { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 };
    const read = (extra: Record<string, unknown>) => workspaceFromDoc('ws1', { name: 'Home lab', settings: { ...base, ...extra } }).settings;
    expect(read({ keyRotationDays: 30, auditRetentionDays: 400 })).toEqual({ ...base, keyRotationDays: 30, auditRetentionDays: 400 });
    expect(read({ keyRotationDays: null })).toEqual(base);
    expect(read({ keyRotationDays: '30' })).toEqual(base);
  });

  it('tolerates missing optional fields but not a missing name', () => {
    expect(workspaceFromDoc('ws1', { name: 'Home lab', settings: { retentionDays: 'x' } })).toEqual({
      id: 'ws1',
      name: 'Home lab',
      createdAt: null,
      settings: null,
    });
    expect(() => workspaceFromDoc('ws1', { createdAt: timestamp })).toThrow(UnexpectedShapeError);
  });
});
