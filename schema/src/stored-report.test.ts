import { describe, expect, it } from 'vitest';
import { ingestAgentSchema, storedReportSchema } from './documents.js';
import { largestReport, validReport } from './test-fixtures.js';

const timestamp = { toMillis: () => 1_764_620_000_000 };

function stored(overrides: Record<string, unknown> = {}) {
  return {
    ...validReport(),
    agentId: 'agent-1',
    agentName: 'web-1',
    failedTestThreshold: 2,
    receiptSequence: 7,
    receivedAt: timestamp,
    ...overrides,
  };
}

describe('storedReportSchema', () => {
  it('reads the report and every stamp ingest writes', () => {
    const parsed = storedReportSchema.parse(stored({ sentCollectedAt: '2030-01-01T00:00:00Z', processing: { state: 'invalid', error: 'x' } }));
    expect(parsed).toMatchObject({
      reportId: validReport().reportId,
      agentId: 'agent-1',
      agentName: 'web-1',
      failedTestThreshold: 2,
      receiptSequence: 7,
      sentCollectedAt: '2030-01-01T00:00:00Z',
      processing: { state: 'invalid', error: 'x' },
    });
    expect(parsed.receivedAt).toBe(timestamp);
    expect(parsed.solutions).toEqual(validReport().solutions);
  });

  it('reads a report stored before receipt sequences existed', () => {
    const { receiptSequence: _dropped, ...unsequenced } = stored();
    expect(storedReportSchema.safeParse(unsequenced).success).toBe(true);
  });

  it('refuses a report without a stamp, or with a malformed one, naming it', () => {
    const { agentName: _dropped, ...unnamed } = stored();
    const cases: [Record<string, unknown>, string][] = [
      [unnamed, 'agentName'],
      [stored({ failedTestThreshold: 0 }), 'failedTestThreshold'],
      [stored({ failedTestThreshold: '2' }), 'failedTestThreshold'],
      [stored({ receiptSequence: -1 }), 'receiptSequence'],
      [stored({ receivedAt: '2026-12-01T00:00:00Z' }), 'receivedAt'],
      [stored({ processing: { state: 'done', error: '' } }), 'processing'],
    ];
    for (const [document, field] of cases) {
      const parsed = storedReportSchema.safeParse(document);
      expect(parsed.success, field).toBe(false);
      expect(
        parsed.error?.issues.map((issue) => issue.path[0]),
        field,
      ).toContain(field);
    }
  });

  it('refuses what fails the report schema itself', () => {
    expect(storedReportSchema.safeParse(stored({ collectedAt: 'yesterday' })).success).toBe(false);
  });

  it('checks the stored size on the report alone, as ingest did: the stamps do not push the largest report over', () => {
    const largest = largestReport({ reportId: 'report-largest-1', collectedAt: '2026-12-01T00:00:00Z' });
    expect(storedReportSchema.safeParse({ ...stored(), ...largest }).success).toBe(true);
  });
});

describe('ingestAgentSchema', () => {
  const agent = {
    name: 'web-1',
    status: 'online',
    intervalSeconds: 300,
    keyId: null,
    revokedAt: null,
    lastSeenAt: timestamp,
    ingestBudget: 'anything: rate-limit.ts starts a new bucket',
  };

  it('reads the fields ingest decides on and passes the tolerated ones through', () => {
    expect(ingestAgentSchema.parse(agent)).toMatchObject({ name: 'web-1', intervalSeconds: 300, ingestBudget: agent.ingestBudget });
  });

  it('refuses an agent without a usable interval, name or status', () => {
    for (const bad of [{ intervalSeconds: undefined }, { intervalSeconds: '300' }, { intervalSeconds: 0 }, { name: '' }, { status: 'gone' }]) {
      expect(ingestAgentSchema.safeParse({ ...agent, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
