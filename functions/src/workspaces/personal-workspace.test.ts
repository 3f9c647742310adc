import { describe, expect, it } from 'vitest';
import { newPersonalWorkspace, personalWorkspaceName } from './personal-workspace.js';

describe('personal workspace', () => {
  it('is named after the email local part, or generically without an email', () => {
    expect(personalWorkspaceName('ada@example.com')).toBe("ada's workspace");
    expect(personalWorkspaceName(null)).toBe('My workspace');
    expect(personalWorkspaceName('@nolocal.example')).toBe('My workspace');
    expect(personalWorkspaceName(`${'x'.repeat(200)}@example.com`)).toHaveLength(100);
  });

  it('makes the creator its owner with default settings and notification preferences', () => {
    const { workspace, owner } = newPersonalWorkspace({ uid: 'u1', email: 'ada@example.com', now: 'NOW' });
    expect(workspace).toEqual({
      name: "ada's workspace",
      createdAt: 'NOW',
      createdBy: 'u1',
      settings: { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 },
    });
    expect(owner).toMatchObject({ role: 'owner', email: 'ada@example.com', joinedAt: 'NOW' });
    expect(owner.notifications.test_failed).toBe('instant');
  });
});
