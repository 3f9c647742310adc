import { DEFAULT_WORKSPACE_SETTINGS, LIMITS, reportSchema, type IngestAgent, type Report } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { reportContentHash } from './report-content.js';
import { Timestamp } from 'firebase-admin/firestore';
import { nextUnchangedReports, storeDecision, storeFactsOf, type StoreFacts } from './store-decision.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const DAY_MS = LIMITS.reportCheckpointSeconds * 1000;

function report(passed = true, backfill = false): Report {
  const parsed = reportSchema.parse(validReport());
  parsed.solutions[0]!.tests[0]!.passed = passed;
  return backfill ? { ...parsed, backfill: true } : parsed;
}

/** An agent whose newest live report had `seen`'s content, stored an hour ago. */
function agent(seen: Report, overrides: Partial<StoreFacts> = {}): StoreFacts {
  return { contentHash: reportContentHash(seen), unchangedReports: 0, lastStoredAtMs: NOW - 3_600_000, failedTestThreshold: 3, ...overrides };
}

function reason(decision: ReturnType<typeof storeDecision>): string | false {
  return decision.store ? decision.reason : false;
}

/** Sends `count` identical reports to an agent, as ingest would update it; the reasons, in order. */
function streak(count: number, failedTestThreshold: number, passed: boolean): (string | false)[] {
  const sent = report(passed);
  let facts: StoreFacts = { contentHash: reportContentHash(report(!passed)), lastStoredAtMs: NOW, failedTestThreshold };
  const reasons: (string | false)[] = [];
  for (let index = 0; index < count; index += 1) {
    const decision = storeDecision({ report: sent, agent: facts, nowMs: NOW + index });
    reasons.push(reason(decision));
    facts = { ...facts, contentHash: decision.contentHash, unchangedReports: nextUnchangedReports(facts, decision.contentHash) };
  }
  return reasons;
}

describe('storeDecision', () => {
  it('stores the first report, and returns the hash ingest keeps', () => {
    const decision = storeDecision({ report: report(), agent: { failedTestThreshold: 3 }, nowMs: NOW });
    expect(decision).toEqual({ store: true, reason: 'first', contentHash: reportContentHash(report()) });
  });

  it('stores a changed report and not an unchanged one', () => {
    expect(reason(storeDecision({ report: report(false), agent: agent(report(true)), nowMs: NOW }))).toBe('changed');
    expect(storeDecision({ report: report(), agent: agent(report()), nowMs: NOW })).toEqual({
      store: false,
      contentHash: reportContentHash(report()),
    });
  });

  it('with threshold 3, stores a failing report until the streak reaches it', () => {
    expect(streak(5, 3, false)).toEqual(['changed', 'streak', 'streak', false, false]);
  });

  it('with threshold 1, the change alone is the streak', () => {
    expect(streak(3, 1, false)).toEqual(['changed', false, false]);
  });

  it('never streaks on passing reports', () => {
    expect(streak(3, 3, true)).toEqual(['changed', false, false]);
  });

  it('checkpoints exactly LIMITS.reportCheckpointSeconds after the last stored report, not a millisecond before', () => {
    const seen = report();
    expect(reason(storeDecision({ report: seen, agent: agent(seen, { lastStoredAtMs: NOW - DAY_MS + 1 }), nowMs: NOW }))).toBe(false);
    expect(reason(storeDecision({ report: seen, agent: agent(seen, { lastStoredAtMs: NOW - DAY_MS }), nowMs: NOW }))).toBe('checkpoint');
    // an agent with a hash but no stored report known (bad data) gets one
    expect(reason(storeDecision({ report: seen, agent: agent(seen, { lastStoredAtMs: null }), nowMs: NOW }))).toBe('checkpoint');
  });

  it('a change wins over a streak or a checkpoint', () => {
    const decision = storeDecision({ report: report(false), agent: agent(report(true), { lastStoredAtMs: NOW - 2 * DAY_MS }), nowMs: NOW });
    expect(reason(decision)).toBe('changed');
  });

  it('stores a backfill report only when its content differs, never for a streak or a checkpoint', () => {
    expect(reason(storeDecision({ report: report(false, true), agent: agent(report(true)), nowMs: NOW }))).toBe('changed');
    const failing = report(false);
    expect(reason(storeDecision({ report: report(false, true), agent: agent(failing, { lastStoredAtMs: NOW - 2 * DAY_MS }), nowMs: NOW }))).toBe(
      false,
    );
    expect(reason(storeDecision({ report: report(true, true), agent: { failedTestThreshold: 3 }, nowMs: NOW }))).toBe('first');
  });
});

describe('nextUnchangedReports', () => {
  it('restarts at 0 on a change and counts the same content', () => {
    expect(nextUnchangedReports({ contentHash: 'a', unchangedReports: 4 }, 'b')).toBe(0);
    expect(nextUnchangedReports({ contentHash: 'a', unchangedReports: 4 }, 'a')).toBe(5);
    expect(nextUnchangedReports({}, 'a')).toBe(0);
  });
});

describe('storeFactsOf', () => {
  const agent = { name: 'web-1', status: 'online', intervalSeconds: 300, keyId: null, revokedAt: null, lastSeenAt: null } as IngestAgent;

  it('reads the stored bookkeeping', () => {
    const facts = storeFactsOf({
      ...agent,
      contentHash: 'abc',
      unchangedReports: 2,
      lastStoredAt: Timestamp.fromMillis(NOW),
      failedTestThreshold: 5,
    });
    expect(facts).toEqual({ contentHash: 'abc', unchangedReports: 2, lastStoredAtMs: NOW, failedTestThreshold: 5 });
  });

  it('counts a malformed value as unknown, so the report is stored rather than refused', () => {
    const facts = storeFactsOf({ ...agent, contentHash: 7, unchangedReports: -1, lastStoredAt: 'yesterday' });
    expect(facts).toEqual({
      contentHash: undefined,
      unchangedReports: undefined,
      lastStoredAtMs: null,
      failedTestThreshold: DEFAULT_WORKSPACE_SETTINGS.failedTestThreshold,
    });
    expect(reason(storeDecision({ report: report(), agent: facts, nowMs: NOW }))).toBe('first');
  });
});
