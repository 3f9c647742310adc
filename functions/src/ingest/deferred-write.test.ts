import { describe, expect, it } from 'vitest';
import { DEFERRAL_MARGIN_INTERVALS, mayDeferAgentWrite, writtenDeadlineMs, type DeferralFacts } from './deferred-write.js';

const INTERVAL_MS = 300_000;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
// silence.ts's deadline for a report written now: 3 intervals + 60 s.
const DEADLINE_NOW = NOW + 3 * INTERVAL_MS + 60_000;
const self = { agentVersion: '0.2.0', update: { auto: true, channel: 'stable' }, lastCrash: undefined };

/** The previous report, written one interval ago by an agent that sends its tickets. */
function unchanged(overrides: Partial<DeferralFacts> = {}): DeferralFacts {
  return {
    live: true,
    stored: false,
    wasOnline: true,
    changesKey: false,
    summaryChanged: false,
    sendsTickets: true,
    receiptSequence: 8,
    receivedAtMs: NOW,
    storedDeadlineMs: writtenDeadlineMs(DEADLINE_NOW - INTERVAL_MS, 300, true),
    deadlineIfWrittenMs: DEADLINE_NOW,
    onDocument: self,
    inReport: { ...self, update: { channel: 'stable', auto: true } },
    ...overrides,
  };
}

describe('mayDeferAgentWrite', () => {
  it('defers an unchanged live report of a ticket-sending agent whose stored deadline covers it', () => {
    expect(mayDeferAgentWrite(unchanged())).toBe(true);
  });

  it('writes every other report: an odd receipt sequence is written', () => {
    expect(mayDeferAgentWrite(unchanged({ receiptSequence: 9 }))).toBe(false);
  });

  it.each([
    ['a backfill report', { live: false }],
    ['a stored report (changed content, failure streak, checkpoint)', { stored: true }],
    ['an agent coming back online', { wasOnline: false }],
    ['a key promotion or rotation', { changesKey: true }],
    ['a change the fleet summary counts', { summaryChanged: true }],
    ['an agent that sent no valid ticket', { sendsTickets: false }],
    ['a document without a deadline', { storedDeadlineMs: null }],
    ['a new agent version', { inReport: { ...self, agentVersion: '0.3.0' } }],
    [
      'a new update status',
      {
        inReport: {
          ...self,
          update: { auto: true, channel: 'stable', last: { outcome: 'failed', from: '0.2.0', to: '0.3.0', at: '2026-12-02T11:59:00.000Z' } },
        },
      },
    ],
    ['a new crash', { inReport: { ...self, lastCrash: { at: '2026-12-02T11:58:00.000Z', message: 'boom' } } }],
  ] as const)('writes %s', (_, overrides) => {
    expect(mayDeferAgentWrite(unchanged(overrides as Partial<DeferralFacts>))).toBe(false);
  });

  it('writes when the stored deadline would give this report less grace than a written one (late, or written without the margin)', () => {
    // The report after the written one arrives later than the margin allows.
    const late = NOW + Math.ceil((DEFERRAL_MARGIN_INTERVALS - 1) * INTERVAL_MS) + 1_000;
    expect(mayDeferAgentWrite(unchanged({ receivedAtMs: late, deadlineIfWrittenMs: late + 3 * INTERVAL_MS + 60_000 }))).toBe(false);
    // The previous report was written with silence.ts's own deadline (it came without a ticket).
    expect(mayDeferAgentWrite(unchanged({ storedDeadlineMs: DEADLINE_NOW - INTERVAL_MS }))).toBe(false);
    // On the margin's edge it still defers: the deadline gives exactly the written grace.
    expect(mayDeferAgentWrite(unchanged({ storedDeadlineMs: DEADLINE_NOW }))).toBe(true);
  });
});

describe('writtenDeadlineMs', () => {
  it('adds the margin in judged intervals for ticket-sending agents only', () => {
    expect(writtenDeadlineMs(DEADLINE_NOW, 300, true)).toBe(DEADLINE_NOW + 375_000);
    expect(writtenDeadlineMs(DEADLINE_NOW, 300, false)).toBe(DEADLINE_NOW);
    expect(writtenDeadlineMs(DEADLINE_NOW, 10, true)).toBe(DEADLINE_NOW + 12_500);
  });
});
