import { eventSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { agentOfflineEvent, agentOfflineEventId, agentOnlineEvent, agentOnlineEventId, derivedEvent, derivedEventId } from './make-event.js';

// A stand-in for the server timestamp the callers pass: eventSchema checks createdAt has toMillis.
const now = { toMillis: () => 1_764_620_000_000 };
const agent = { agentId: 'agent-1', agentName: 'web-1', hostname: 'web-1.example', labelPairs: ['env=prod', 'role=web'] };
const unsent = { acknowledgedAt: null, acknowledgedBy: null, email: { state: 'pending', at: null, error: null } };

describe('ids (stable: stored events and tests rely on them)', () => {
  it('names a report-raised event by agent, report and kind', () => {
    expect(derivedEventId('a1', 'r1', 'test_failed')).toBe('a1_r1_test_failed');
    expect(derivedEventId('a1', 'r1', 'test_failed')).toBe(derivedEventId('a1', 'r1', 'test_failed'));
    expect(derivedEventId('a1', 'r1', 'test_failed')).not.toBe(derivedEventId('a1', 'r1', 'config_changed'));
    expect(agentOnlineEventId('a1', 'r1')).toBe('a1_r1_agent_online');
  });

  it('names agent_offline by the silence: agent and last-seen milliseconds', () => {
    expect(agentOfflineEventId('a1', 1_764_620_000_123)).toBe('a1_offline_1764620000123');
  });
});

describe('derivedEvent', () => {
  it('makes each kind derive-events.ts finds, happened when the report was collected', () => {
    const tests = [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'integration', message: 'not detected' }];
    const made = derivedEvent(
      { ...agent, reportId: 'report-0001', collectedAt: '2026-12-01T10:00:00.000Z' },
      { kind: 'test_failed', solutionIds: ['clamav'], details: { tests } },
      now,
    );
    expect(made.id).toBe('agent-1_report-0001_test_failed');
    expect(made.document).toEqual({
      kind: 'test_failed',
      ...agent,
      solutionIds: ['clamav'],
      reportId: 'report-0001',
      createdAt: now,
      occurredAt: '2026-12-01T10:00:00.000Z',
      details: { tests },
      ...unsent,
    });
    expect(eventSchema.safeParse(made.document).success).toBe(true);
    for (const kind of ['test_recovered', 'config_changed', 'solution_added', 'solution_removed'] as const) {
      const other = derivedEvent(
        { ...agent, reportId: 'report-0001', collectedAt: '2026-12-01T10:00:00.000Z' },
        { kind, solutionIds: [], details: {} },
        now,
      );
      expect(other.id).toBe(`agent-1_report-0001_${kind}`);
      expect(other.document.kind).toBe(kind);
    }
  });
});

describe('agentOnlineEvent', () => {
  it('happened when the agent was heard again, and says when it was last seen before', () => {
    const made = agentOnlineEvent(
      { ...agent, reportId: 'report-0002', receivedAtMs: Date.parse('2026-12-01T11:00:00Z'), lastSeenAt: '2026-12-01T09:00:00.000Z' },
      now,
    );
    expect(made.id).toBe('agent-1_report-0002_agent_online');
    expect(made.document).toEqual({
      kind: 'agent_online',
      ...agent,
      solutionIds: [],
      reportId: 'report-0002',
      createdAt: now,
      occurredAt: '2026-12-01T11:00:00.000Z',
      details: { lastSeenAt: '2026-12-01T09:00:00.000Z' },
      ...unsent,
    });
    expect(eventSchema.safeParse(made.document).success).toBe(true);
  });
});

describe('agentOfflineEvent', () => {
  it('happened when the agent became overdue, names no report, and counts the missed intervals', () => {
    const lastSeenMs = Date.parse('2026-12-01T09:00:00Z');
    const made = agentOfflineEvent(
      { ...agent, hostname: null, lastSeenMs, overdueAtMs: Date.parse('2026-12-01T09:20:00Z'), missedIntervals: 4 },
      now,
    );
    expect(made.id).toBe(`agent-1_offline_${lastSeenMs}`);
    expect(made.document).toEqual({
      kind: 'agent_offline',
      ...agent,
      hostname: null,
      solutionIds: [],
      reportId: null,
      createdAt: now,
      occurredAt: '2026-12-01T09:20:00.000Z',
      details: { lastSeenAt: '2026-12-01T09:00:00.000Z', missedIntervals: 4 },
      ...unsent,
    });
    expect(eventSchema.safeParse(made.document).success).toBe(true);
  });
});

describe('expireAt', () => {
  it('is on the document when the caller gives one, and absent otherwise', () => {
    const expireAt = new Date('2027-01-01T00:00:00Z');
    const source = { agentId: 'a1', agentName: 'web-1', hostname: null, labelPairs: [], reportId: 'r1', receivedAtMs: 0, lastSeenAt: null };
    expect(agentOnlineEvent({ ...source, expireAt }, 'now').document.expireAt).toEqual(expireAt);
    expect('expireAt' in agentOnlineEvent(source, 'now').document).toBe(false);
  });
});

describe('labelPairs', () => {
  it('keeps the labels the agent had when the event was made, as a copy, on every kind', () => {
    const pairs = ['env=prod', 'team.name=a=b'];
    const source = { ...agent, labelPairs: pairs };
    const made = [
      derivedEvent(
        { ...source, reportId: 'report-0001', collectedAt: '2026-12-01T10:00:00.000Z' },
        { kind: 'config_changed', solutionIds: [], details: {} },
        now,
      ),
      agentOnlineEvent({ ...source, reportId: 'report-0001', receivedAtMs: 0, lastSeenAt: null }, now),
      agentOfflineEvent({ ...source, lastSeenMs: 0, overdueAtMs: 1, missedIntervals: 3 }, now),
    ];
    // A relabel afterwards (the caller's array changing) does not reach the events made.
    pairs.push('role=db');
    for (const event of made) {
      expect(event.document.labelPairs).toEqual(['env=prod', 'team.name=a=b']);
      expect(eventSchema.safeParse(event.document).success).toBe(true);
    }
  });

  it('is an empty list for an agent without labels, which the schema takes', () => {
    const made = agentOnlineEvent({ ...agent, labelPairs: [], reportId: 'report-0001', receivedAtMs: 0, lastSeenAt: null }, now);
    expect(made.document.labelPairs).toEqual([]);
    expect(eventSchema.safeParse(made.document).success).toBe(true);
  });

  it("is refused by the event schema beyond the labels' limits", () => {
    const tooMany = Array.from({ length: 21 }, (_, i) => `k${i}=v`);
    const made = agentOnlineEvent({ ...agent, labelPairs: tooMany, reportId: 'report-0001', receivedAtMs: 0, lastSeenAt: null }, now);
    expect(eventSchema.safeParse(made.document).success).toBe(false);
  });
});
