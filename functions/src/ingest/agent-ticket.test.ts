import { ingestAgentSchema } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { MAX_TICKET_CHARS } from '@vigil/schema';
import type { CachedAgent } from './agent-cache.js';
import { issueTicket, newTicketSecret, readTicket } from './agent-ticket.js';

const KEY_ID = 'abcdefghijklmnop';
const key = { hash: 'a'.repeat(64), workspaceId: 'ws-1', agentId: 'agent-1', issuedAtMs: 1_763_000_000_000 };

/** A typical agent as ingest keeps it: 48 hours of both histories, 3 solutions of 5 metrics. */
function typicalEntry(): CachedAgent {
  const hours = Array.from({ length: 48 }, (_, i) => new Date(Date.UTC(2026, 11, 1, i)).toISOString());
  const solutions = ['clamav', 'fail2ban', 'unattended-upgrades'];
  const metricsOf = (i: number) =>
    Object.fromEntries(solutions.map((id, s) => [id, Object.fromEntries([0, 1, 2, 3, 4].map((m) => [`m${m}`, i * 7.25 + s * 3 + m]))]));
  const agent = ingestAgentSchema.parse({
    name: 'web-1',
    status: 'online',
    intervalSeconds: 300,
    keyId: KEY_ID,
    revokedAt: null,
    lastSeenAt: new Timestamp(1_764_000_000, 123_456_000),
    failedTestThreshold: 3,
    receiptSequence: 41,
    ingestBudget: { tokens: 29.5, updatedAtMs: 1_764_000_000_123 },
    testsHistory: hours.map((hour, i) => ({ hour, passed: 10 + (i % 3), failed: i % 2 })),
    health: { plugins: { clamav: { ok: true } }, lastCrash: null },
    lastReportId: 'r-00000041',
    summary: { solutions, testsPassed: 12, testsFailed: 0 },
    contentHash: 'f'.repeat(64),
    unchangedReports: 7,
    lastStoredAt: new Timestamp(1_763_990_000, 5),
    retentionDays: 30,
    metrics: metricsOf(48),
    metricsHistory: hours.map((hour, i) => ({ hour, solutions: metricsOf(i) })),
  });
  return { ...key, agent, updateTime: new Timestamp(1_764_000_000, 123_456_789) };
}

describe('agent tickets', () => {
  const secret = newTicketSecret();

  it('round-trips the cache entry exactly, timestamps included', () => {
    const entry = typicalEntry();
    const ticket = issueTicket(secret, KEY_ID, entry);
    expect(ticket).toMatch(/^v2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const read = readTicket(secret, KEY_ID, key, ticket);
    expect(read).toEqual(entry);
    expect(read!.updateTime.isEqual(entry.updateTime)).toBe(true);
    expect(read!.agent.lastSeenAt).toBeInstanceOf(Timestamp);
    // A few KB for a typical agent: it travels in a header.
    expect(ticket!.length).toBeLessThan(8_000);
  });

  it('carries a pending key rotation exactly: its Timestamps one level down, before and after the fetch', () => {
    const entry = typicalEntry();
    const requested = {
      reason: 'dashboard',
      requestedAt: new Timestamp(1_764_000_100, 987_654_000),
      requestedBy: { uid: 'u-1', email: null },
      fetchedAt: null,
    };
    for (const keyRotation of [requested, { ...requested, fetchedAt: new Timestamp(1_764_000_200, 1_000) }]) {
      const withRotation: CachedAgent = { ...entry, agent: { ...entry.agent, keyRotation, pendingKeyId: 'qrstuvwxyz234567' } };
      const ticket = issueTicket(secret, KEY_ID, withRotation);
      expect(ticket).toBeDefined();
      const read = readTicket(secret, KEY_ID, key, ticket)!;
      expect(read).toEqual(withRotation);
      const carried = read.agent.keyRotation as typeof keyRotation;
      expect(carried.requestedAt).toBeInstanceOf(Timestamp);
      expect(carried.requestedAt.isEqual(requested.requestedAt)).toBe(true);
      expect(carried.fetchedAt === null || carried.fetchedAt instanceof Timestamp).toBe(true);
    }
  });

  it('keeps nested names as data: a __proto__ beside a nested Timestamp stays a key', () => {
    const entry = typicalEntry();
    const health = Object.assign(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>, { at: new Timestamp(5, 6) });
    const read = readTicket(secret, KEY_ID, key, issueTicket(secret, KEY_ID, { ...entry, agent: { ...entry.agent, health } }))!;
    expect(Object.hasOwn(read.agent.health as object, '__proto__')).toBe(true);
    expect((read.agent.health as { at: Timestamp }).at.isEqual(new Timestamp(5, 6))).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('rejects a tampered payload or MAC', () => {
    const ticket = issueTicket(secret, KEY_ID, typicalEntry())!;
    const [version, payload, mac] = ticket.split('.') as [string, string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    expect(readTicket(secret, KEY_ID, key, `${version}.${flip(payload, 10)}.${mac}`)).toBeUndefined();
    expect(readTicket(secret, KEY_ID, key, `${version}.${payload}.${flip(mac, 5)}`)).toBeUndefined();
    // v1 (before nested Timestamps) is another format: no ticket, whatever it says.
    expect(readTicket(secret, KEY_ID, key, `v1.${payload}.${mac}`)).toBeUndefined();
    expect(readTicket(secret, KEY_ID, key, 'not a ticket')).toBeUndefined();
    expect(readTicket(secret, KEY_ID, key, undefined)).toBeUndefined();
  });

  it('is good for its own key, workspace and agent only', () => {
    const ticket = issueTicket(secret, KEY_ID, typicalEntry());
    expect(readTicket(newTicketSecret(), KEY_ID, key, ticket)).toBeUndefined();
    expect(readTicket(secret, 'qrstuvwxyz234567', key, ticket)).toBeUndefined();
    expect(readTicket(secret, KEY_ID, { ...key, agentId: 'agent-2' }, ticket)).toBeUndefined();
    expect(readTicket(secret, KEY_ID, { ...key, workspaceId: 'ws-2' }, ticket)).toBeUndefined();
  });

  it('issues none for what JSON cannot carry exactly, or an agent too large for a header', () => {
    const entry = typicalEntry();
    expect(issueTicket(secret, KEY_ID, { ...entry, agent: { ...entry.agent, health: { lastCrash: { at: Timestamp.now() } } } })).toBeUndefined();
    expect(issueTicket(secret, KEY_ID, { ...entry, agent: { ...entry.agent, health: { at: new Date() } } })).toBeUndefined();
    expect(issueTicket(secret, KEY_ID, { ...entry, agent: { ...entry.agent, metrics: { clamav: { m: Number.NaN } } } })).toBeUndefined();
    // Random text does not compress: a summary this large cannot fit in MAX_TICKET_CHARS.
    const noise = Array.from({ length: MAX_TICKET_CHARS }, () => Math.random().toString(36).slice(2)).join('');
    expect(issueTicket(secret, KEY_ID, { ...entry, agent: { ...entry.agent, summary: noise } })).toBeUndefined();
  });

  it('keeps the agent fields as data: a __proto__ solution id stays a key', () => {
    const entry = typicalEntry();
    const metrics = JSON.parse('{"__proto__": {"m": 1}}') as Record<string, Record<string, number>>;
    const ticket = issueTicket(secret, KEY_ID, { ...entry, agent: { ...entry.agent, metrics } });
    const read = readTicket(secret, KEY_ID, key, ticket)!;
    expect(Object.hasOwn(read.agent.metrics as object, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(read.agent.metrics)).toBe(Object.prototype);
  });
});
