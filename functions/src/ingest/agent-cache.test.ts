import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { AgentCache, type CachedAgent } from './agent-cache.js';

function entry(agentId: string): CachedAgent {
  return { hash: 'h', workspaceId: 'w', agentId, agent: {}, updateTime: Timestamp.fromMillis(0) };
}

describe('AgentCache', () => {
  it('returns what was stored and forgets on request', () => {
    const cache = new AgentCache();
    cache.set('k1', entry('a1'));
    expect(cache.get('k1')?.agentId).toBe('a1');
    cache.forget('k1');
    expect(cache.get('k1')).toBeUndefined();
  });

  it('drops the least recently used entry beyond its size', () => {
    const cache = new AgentCache(2);
    cache.set('k1', entry('a1'));
    cache.set('k2', entry('a2'));
    cache.get('k1');
    cache.set('k3', entry('a3'));
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k1')?.agentId).toBe('a1');
    expect(cache.get('k3')?.agentId).toBe('a3');
    expect(cache.size).toBe(2);
  });
});
