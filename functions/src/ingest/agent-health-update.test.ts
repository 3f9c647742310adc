import { reportSchema, type AgentCrash, type AgentHealth } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { healthFromReport } from './agent-update.js';

const crash = (at: string, message = 'TypeError: boom'): AgentCrash => ({
  at,
  kind: 'uncaughtException',
  message,
  stack: `${message}\n    at x (y.mjs:1:2)`,
  version: '0.1.0',
});

function health(overrides: Partial<AgentHealth> = {}): AgentHealth {
  return {
    version: '0.2.0',
    uptimeSeconds: 600,
    plugins: [{ id: 'clamav', status: 'found', durationMs: 812 }],
    pluginErrors: 0,
    spool: { reports: 0, bytes: 0, dropped: 0 },
    ...overrides,
  };
}

function reportWith(agentHealth?: AgentHealth) {
  return reportSchema.parse({ ...validReport(), ...(agentHealth ? { agentHealth } : {}) });
}

describe('healthFromReport', () => {
  it('stores the health of the newest report', () => {
    expect(healthFromReport(reportWith(health()), null, true)).toEqual({ health: health() });
  });

  it('keeps showing the last crash after the report that brought it', () => {
    const stored = health({ crashes: 1, lastCrash: crash('2026-11-27T09:00:00.000Z') });
    expect(healthFromReport(reportWith(health({ uptimeSeconds: 900 })), stored, true)).toEqual({
      health: health({ uptimeSeconds: 900, lastCrash: crash('2026-11-27T09:00:00.000Z') }),
    });
  });

  it('replaces the last crash by a newer one', () => {
    const stored = health({ lastCrash: crash('2026-11-27T09:00:00.000Z') });
    const next = health({ crashes: 2, lastCrash: crash('2026-11-27T09:30:00.000Z', 'RangeError: new') });
    expect(healthFromReport(reportWith(next), stored, true)).toEqual({ health: next });
  });

  it('clears it when the newest report has no health (the agent stopped sending it)', () => {
    expect(healthFromReport(reportWith(), health({ lastCrash: crash('2026-11-27T09:00:00.000Z') }), true)).toEqual({ health: null });
  });

  it('lets a late, older report change nothing but add a crash newer than the stored one', () => {
    const stored = health({ uptimeSeconds: 1200, lastCrash: crash('2026-11-27T09:00:00.000Z') });
    expect(healthFromReport(reportWith(health({ uptimeSeconds: 5 })), stored, false)).toEqual({});
    expect(healthFromReport(reportWith(health({ lastCrash: crash('2026-11-27T08:00:00.000Z') })), stored, false)).toEqual({});
    expect(healthFromReport(reportWith(health({ lastCrash: crash('2026-11-27T09:00:00.000Z') })), stored, false)).toEqual({});
    expect(healthFromReport(reportWith(health({ lastCrash: crash('2026-11-27T09:45:00.000Z', 'Error: later') })), stored, false)).toEqual({
      health: { ...stored, lastCrash: crash('2026-11-27T09:45:00.000Z', 'Error: later') },
    });
    expect(healthFromReport(reportWith(), stored, false)).toEqual({});
  });

  it('ignores a stored value that is not a crash', () => {
    expect(healthFromReport(reportWith(health()), { lastCrash: { at: 'yesterday' } }, true)).toEqual({ health: health() });
  });
});
