import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { failureOutcome, justBefore, nextCursor, noteChange, recomputeOrder, workspaceOfAgentPath, type Changes } from './fleet-changes.js';

const at = (seconds: number, nanoseconds = 0) => new Timestamp(seconds, nanoseconds);

describe('workspaceOfAgentPath', () => {
  it('names the workspace of an agent document, and nothing for a same-named collection elsewhere', () => {
    expect(workspaceOfAgentPath('workspaces/ws-1/agents/a-1')).toBe('ws-1');
    expect(workspaceOfAgentPath('other/ws-1/agents/a-1')).toBeUndefined();
    expect(workspaceOfAgentPath('workspaces/ws-1/agents/a-1/x/agents/b')).toBeUndefined();
  });
});

describe('noteChange and recomputeOrder', () => {
  it('keeps each workspace once at its earliest change, and orders them earliest first (no time first, then by id)', () => {
    const changes: Changes = new Map();
    noteChange(changes, 'ws-b', at(30));
    noteChange(changes, 'ws-a', at(20));
    noteChange(changes, 'ws-b', at(10, 5));
    noteChange(changes, 'ws-b', at(40));
    noteChange(changes, 'ws-c', at(20));
    noteChange(changes, 'ws-z', null);
    expect(changes.get('ws-b')).toEqual(at(10, 5));
    expect(recomputeOrder(changes)).toEqual(['ws-z', 'ws-b', 'ws-a', 'ws-c']);
  });
});

describe('justBefore', () => {
  it('is one microsecond earlier, across a second boundary too', () => {
    expect(justBefore(at(100, 5000))).toEqual(at(100, 4000));
    expect(justBefore(at(100, 0))).toEqual(at(99, 999_999_000));
  });
});

describe('nextCursor', () => {
  const changes = (): Changes =>
    new Map([
      ['ws-a', at(10)],
      ['ws-b', at(20)],
      ['ws-c', at(30)],
    ]);

  it('moves to the read time once every workspace is recomputed', () => {
    expect(nextCursor(at(5), at(60), changes(), new Set(['ws-a', 'ws-b', 'ws-c']))).toEqual(at(60));
  });

  it('cut short, moves to just before the earliest change left, so the next run finds it again', () => {
    expect(nextCursor(at(5), at(60), changes(), new Set(['ws-a', 'ws-c']))).toEqual(justBefore(at(20)));
  });

  it('never moves back, and stays when a workspace without a change time (the first run) is left', () => {
    expect(nextCursor(at(25), at(60), changes(), new Set(['ws-a']))).toEqual(at(25));
    const first: Changes = new Map([
      ['ws-a', null],
      ['ws-b', null],
    ]);
    expect(nextCursor(null, at(60), first, new Set(['ws-a']))).toBeNull();
    expect(nextCursor(null, at(60), first, new Set(['ws-a', 'ws-b']))).toEqual(at(60));
  });
});

describe('failureOutcome', () => {
  it('counts a failure, keeps counting it in later runs, and passes the workspace over at the attempts', () => {
    const first = failureOutcome({}, new Set(['ws-x']), new Set(['ws-a']), 3, 500);
    expect(first).toEqual({ failures: { 'ws-x': 1 }, passedOver: [] });
    const second = failureOutcome(first.failures, new Set(['ws-x']), new Set(), 3, 500);
    expect(second).toEqual({ failures: { 'ws-x': 2 }, passedOver: [] });
    const third = failureOutcome(second.failures, new Set(['ws-x']), new Set(), 3, 500);
    expect(third).toEqual({ failures: {}, passedOver: ['ws-x'] });
  });

  it('forgets the failures of a workspace recomputed, and keeps those of one this run did not reach', () => {
    expect(failureOutcome({ 'ws-x': 2, 'ws-y': 1 }, new Set(), new Set(['ws-x']), 3, 500)).toEqual({ failures: { 'ws-y': 1 }, passedOver: [] });
  });

  it('keeps at most `tracked` counts; the rest are retried without one', () => {
    const outcome = failureOutcome({}, new Set(['ws-c', 'ws-a', 'ws-b']), new Set(), 3, 2);
    expect(outcome).toEqual({ failures: { 'ws-a': 1, 'ws-b': 1 }, passedOver: [] });
  });

  it('reads only own counts: a workspace named like an Object property starts at zero', () => {
    expect(failureOutcome({}, new Set(['constructor', '__proto__']), new Set(), 2, 500)).toEqual({
      failures: Object.fromEntries([
        ['__proto__', 1],
        ['constructor', 1],
      ]),
      passedOver: [],
    });
  });
});
