import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { AgentCache, type CachedAgent } from './agent-cache.js';

function entry(agentId: string): CachedAgent {
  const agent = { name: agentId, status: 'online' as const, intervalSeconds: 300, keyId: null, revokedAt: null, lastSeenAt: null };
  return { hash: 'h', workspaceId: 'w', agentId, issuedAtMs: 1_000, agent, updateTime: Timestamp.fromMillis(0) };
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

  it('remembers a key without its agent, and a key with its agent, with when it was issued', () => {
    const cache = new AgentCache(2);
    cache.setKey('k1', { hash: 'h1', workspaceId: 'w', agentId: 'a1', issuedAtMs: 7 });
    expect(cache.getKey('k1')).toEqual({ hash: 'h1', workspaceId: 'w', agentId: 'a1', issuedAtMs: 7 });
    expect(cache.get('k1')).toBeUndefined();
    cache.set('k2', entry('a2'));
    expect(cache.getKey('k2')).toEqual({ hash: 'h', workspaceId: 'w', agentId: 'a2', issuedAtMs: 1_000 });
    cache.forget('k1');
    cache.forget('k2');
    expect([cache.getKey('k1'), cache.getKey('k2'), cache.get('k2')]).toEqual([undefined, undefined, undefined]);
  });

  it('bounds the keys it remembers without agents too', () => {
    const cache = new AgentCache(2, 2);
    for (const keyId of ['k1', 'k2', 'k3']) cache.setKey(keyId, { hash: keyId, workspaceId: 'w', agentId: keyId, issuedAtMs: 0 });
    expect(cache.getKey('k1')).toBeUndefined();
    expect(cache.getKey('k3')?.hash).toBe('k3');
  });

  it('keeps a key after its agent is evicted (its ticket can still be checked without a read)', () => {
    const cache = new AgentCache(1, 10);
    cache.set('k1', { ...entry('a1'), ticketSecret: 's'.repeat(43) });
    cache.set('k2', entry('a2'));
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.getKey('k1')).toEqual({ hash: 'h', workspaceId: 'w', agentId: 'a1', issuedAtMs: 1_000, ticketSecret: 's'.repeat(43) });
  });

  it('keeps only what ingest reads, and gives back the histories as stored', () => {
    const cache = new AgentCache();
    const testsHistory = [{ hour: '2026-11-27T10:00:00.000Z', passed: 3, failed: 1 }];
    const metricsHistory = [{ hour: '2026-11-27T10:00:00.000Z', solutions: { clamav: { signatures: 5 } } }];
    const base = entry('a1');
    const agent = { ...base.agent, testsHistory, metricsHistory, host: { hostname: 'not read by ingest' } };
    cache.set('k1', { ...base, agent });
    const cached = cache.get('k1')!;
    expect(cached.agent).toEqual({ ...base.agent, testsHistory, metricsHistory });
    expect(Object.hasOwn(cached.agent, 'host')).toBe(false);
  });
});
