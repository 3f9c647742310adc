import { describe, expect, it } from 'vitest';
import { agentRefInputSchema, createAgentInputSchema } from './callables.js';
import { DEFAULT_WORKSPACE_SETTINGS } from './constants/workspace-settings.js';
import { workspaceSettingsSchema } from './documents.js';
import { paths } from './paths.js';

describe('workspace settings', () => {
  it('accepts the defaults', () => {
    expect(workspaceSettingsSchema.parse(DEFAULT_WORKSPACE_SETTINGS)).toEqual(DEFAULT_WORKSPACE_SETTINGS);
  });

  it('keeps retention between 1 and 365 days and intervals between a minute and a day', () => {
    const bad = [
      { ...DEFAULT_WORKSPACE_SETTINGS, retentionDays: 0 },
      { ...DEFAULT_WORKSPACE_SETTINGS, retentionDays: 366 },
      { ...DEFAULT_WORKSPACE_SETTINGS, retentionDays: 1.5 },
      { ...DEFAULT_WORKSPACE_SETTINGS, reportingIntervalSeconds: 59 },
      { ...DEFAULT_WORKSPACE_SETTINGS, reportingIntervalSeconds: 86_401 },
      { ...DEFAULT_WORKSPACE_SETTINGS, failedTestThreshold: 0 },
    ];
    for (const settings of bad) expect(workspaceSettingsSchema.safeParse(settings).success, JSON.stringify(settings)).toBe(false);
  });
});

describe('callable inputs', () => {
  it('trims agent names and rejects empty or oversized ones', () => {
    expect(createAgentInputSchema.parse({ workspaceId: 'ws1', name: '  web-1  ' })).toEqual({
      workspaceId: 'ws1',
      name: 'web-1',
      description: '',
    });
    expect(createAgentInputSchema.safeParse({ workspaceId: 'ws1', name: '   ' }).success).toBe(false);
    expect(createAgentInputSchema.safeParse({ workspaceId: 'ws1', name: 'x'.repeat(101) }).success).toBe(false);
    expect(agentRefInputSchema.safeParse({ workspaceId: 'ws1' }).success).toBe(false);
  });
});

describe('paths', () => {
  it('builds the document tree of docs/architecture.md', () => {
    expect(paths.agentState('w', 'a')).toBe('workspaces/w/agents/a/state/current');
    expect(paths.report('w', 'a', 'r')).toBe('workspaces/w/agents/a/reports/r');
    expect(paths.agentKey('k')).toBe('agentKeys/k');
    expect(paths.user('u')).toBe('users/u');
  });
});
