import { describe, expect, it } from 'vitest';
import { eventFromDoc } from './event';

describe('an event read from its document', () => {
  it('has the labels of its labelPairs, split at the first "=", keys kept as data', () => {
    const event = eventFromDoc('e', { kind: 'agent_offline', agentId: 'a', labelPairs: ['env=prod', 'team.name=a=b', 'empty=', '__proto__=x'] });
    expect(event?.labels).toEqual(
      Object.fromEntries([
        ['env', 'prod'],
        ['team.name', 'a=b'],
        ['empty', ''],
        ['__proto__', 'x'],
      ]),
    );
    // An own key, not the prototype: nothing reached Object.prototype.
    expect(Object.hasOwn(event!.labels, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('has no labels when the document has none or holds something else', () => {
    expect(eventFromDoc('e', { kind: 'agent_offline' })?.labels).toEqual({});
    expect(eventFromDoc('e', { kind: 'agent_offline', labelPairs: 'env=prod' })?.labels).toEqual({});
    expect(eventFromDoc('e', { kind: 'agent_offline', labelPairs: ['noequals', '=x', 3, 'ok=1'] })?.labels).toEqual({ ok: '1' });
  });
});
