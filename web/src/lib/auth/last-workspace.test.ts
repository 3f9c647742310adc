import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetWorkspace, rememberedWorkspace, rememberWorkspace } from './last-workspace';

describe('last workspace hint', () => {
  beforeEach(() => {
    const items = new Map<string, string>();
    (globalThis as { window?: unknown }).window = {
      localStorage: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => void items.set(key, value),
        removeItem: (key: string) => void items.delete(key),
      },
    };
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('is kept per user and can be forgotten', () => {
    expect(rememberedWorkspace('u1')).toBeNull();
    rememberWorkspace('u1', 'ws1');
    expect(rememberedWorkspace('u1')).toBe('ws1');
    expect(rememberedWorkspace('u2')).toBeNull();
    forgetWorkspace('u1');
    expect(rememberedWorkspace('u1')).toBeNull();
  });

  it('never throws when the browser refuses storage', () => {
    (globalThis as { window?: unknown }).window = {
      localStorage: {
        getItem: () => {
          throw new Error('SecurityError');
        },
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
        removeItem: () => {
          throw new Error('SecurityError');
        },
      },
    };
    expect(rememberedWorkspace('u1')).toBeNull();
    expect(() => rememberWorkspace('u1', 'ws1')).not.toThrow();
    expect(() => forgetWorkspace('u1')).not.toThrow();
  });
});
