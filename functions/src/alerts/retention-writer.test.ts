import { describe, expect, it } from 'vitest';
import { sweepBudget, workspaceOfPath } from './retention-writer.js';

describe('sweepBudget', () => {
  it('allows the pages it is given, then stops every later pass', () => {
    const budget = sweepBudget({ budgetMs: 60_000, maxPages: 2 });
    expect([budget.exhausted(), budget.exhausted(), budget.exhausted(), budget.exhausted()]).toEqual([false, false, true, true]);
  });

  it('stops once its time is up, whatever the pages', () => {
    const budget = sweepBudget({ budgetMs: 0, maxPages: Number.POSITIVE_INFINITY });
    expect(budget.exhausted()).toBe(true);
  });
});

describe('workspaceOfPath', () => {
  it('names the workspace of a document under workspaces/, and nothing else', () => {
    expect(workspaceOfPath('workspaces/ws-1/agents/a/reports/r')).toBe('ws-1');
    expect(workspaceOfPath('workspaces/ws-1/events/e')).toBe('ws-1');
    expect(workspaceOfPath('system/reports/r')).toBeUndefined();
    expect(workspaceOfPath('reports/r')).toBeUndefined();
  });
});
