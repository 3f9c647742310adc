import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentIdProblem, firestoreIdSchema } from './ids.js';
import { LIMITS } from './limits.js';

describe('documentIdProblem', () => {
  it.each([
    'a',
    'Xq3mA9bC0dEfGhIjKlMn', // an auto id
    'u'.repeat(LIMITS.documentIdLength), // the longest (a Firebase Auth uid may be 128 characters)
    'agent-0001',
    'r_2026.12.01',
    '.a',
    'a..',
    '__a', // reserved only as "__...__"
    'a__',
    '_a_',
    'ünïcödé-🛡',
  ])('accepts %j', (id) => {
    expect(documentIdProblem(id)).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['empty', '', /empty/],
    ['a slash', 'a/b', /"\/"/],
    ['a leading slash', '/a', /"\/"/],
    ['a trailing slash', 'a/', /"\/"/],
    ['"."', '.', /"\."/],
    ['".."', '..', /"\.\."/],
    ['"__x__"', '__name__', /reserved/],
    ['"____"', '____', /reserved/],
    ['one character too long', 'u'.repeat(LIMITS.documentIdLength + 1), /at most 128/],
    ['a lone surrogate', 'a\uD800b', /Unicode/],
    ['a newline', 'a\nb', /control/],
    ['a NUL', 'a\u0000b', /control/],
    ['DEL', 'a\u007fb', /control/],
    ['a number', 42, /string/],
    ['undefined', undefined, /string/],
  ])('refuses %s', (_label, id, message) => {
    expect(documentIdProblem(id)).toMatch(message);
  });
});

describe('firestoreIdSchema', () => {
  const input = z.object({ workspaceId: firestoreIdSchema, agentId: firestoreIdSchema });

  it('passes a good id through unchanged', () => {
    expect(input.parse({ workspaceId: 'ws-1', agentId: 'Xq3mA9bC0dEfGhIjKlMn' })).toEqual({
      workspaceId: 'ws-1',
      agentId: 'Xq3mA9bC0dEfGhIjKlMn',
    });
  });

  it('names the field and says what is wrong', () => {
    const result = input.safeParse({ workspaceId: 'a/b', agentId: '../x' });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    expect(issues).toEqual([
      { path: 'workspaceId', message: 'must be a document id: must not contain "/"' },
      { path: 'agentId', message: 'must be a document id: must not contain "/"' },
    ]);
  });

  it('refuses ".." and reserved names, which contain no slash', () => {
    expect(input.safeParse({ workspaceId: '..', agentId: 'a' }).error?.issues[0]?.message).toMatch(/"\.\."/);
    expect(input.safeParse({ workspaceId: 'a', agentId: '__x__' }).error?.issues[0]?.path).toEqual(['agentId']);
  });

  it('refuses what is not a string', () => {
    expect(input.safeParse({ workspaceId: 7, agentId: 'a' }).success).toBe(false);
    expect(input.safeParse({ agentId: 'a' }).success).toBe(false);
  });
});
