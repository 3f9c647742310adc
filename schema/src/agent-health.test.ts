import { describe, expect, it } from 'vitest';
import { summarizeIssues } from './errors.js';
import { LIMITS } from './limits.js';
import { reportSchema, type AgentHealth } from './report.js';
import { validReport } from './test-fixtures.js';

function health(overrides: Partial<AgentHealth> = {}): AgentHealth {
  return {
    version: '0.2.0',
    uptimeSeconds: 3600,
    plugins: [
      { id: 'clamav', status: 'found', durationMs: 812 },
      { id: 'teler', status: 'absent', durationMs: 3 },
      { id: 'vector', status: 'timed-out', durationMs: 120_000 },
    ],
    pluginErrors: 1,
    spool: { reports: 2, bytes: 20_480, dropped: 0 },
    crashes: 1,
    lastCrash: {
      at: '2026-11-27T09:58:00.000Z',
      kind: 'uncaughtException',
      message: 'TypeError: x is undefined',
      stack: 'TypeError: x is undefined\n    at tick (/usr/local/lib/vigil/vigil-agent.mjs:1:2)',
      version: '0.1.0',
    },
    hiddenHostDetails: ['hostname'],
    ...overrides,
  };
}

function pathsOfIssues(agentHealth: unknown): string[] {
  const result = reportSchema.safeParse({ ...validReport(), agentHealth });
  return result.success ? [] : summarizeIssues(result.error).map((issue) => issue.path);
}

describe('reportSchema: agentHealth', () => {
  it('is optional, and kept whole when present', () => {
    expect(reportSchema.parse(validReport()).agentHealth).toBeUndefined();
    expect(reportSchema.parse({ ...validReport(), agentHealth: health() }).agentHealth).toEqual(health());
  });

  it('bounds every list and text', () => {
    const plugins = Array.from({ length: LIMITS.healthPlugins + 1 }, (_, index) => ({ id: `p${index}`, status: 'found', durationMs: 1 }));
    expect(pathsOfIssues(health({ plugins } as Partial<AgentHealth>))).toEqual(['agentHealth.plugins']);
    const crash = health().lastCrash!;
    expect(pathsOfIssues(health({ lastCrash: { ...crash, stack: 'x'.repeat(LIMITS.crashStackText + 1) } }))).toEqual(['agentHealth.lastCrash.stack']);
    expect(pathsOfIssues(health({ lastCrash: { ...crash, message: 'x'.repeat(LIMITS.messageText + 1) } }))).toEqual([
      'agentHealth.lastCrash.message',
    ]);
    expect(pathsOfIssues(health({ version: 'v'.repeat(65) }))).toEqual(['agentHealth.version']);
    expect(pathsOfIssues(health({ uptimeSeconds: -1 }))).toEqual(['agentHealth.uptimeSeconds']);
    expect(pathsOfIssues(health({ hiddenHostDetails: ['ip'] } as unknown as Partial<AgentHealth>))).toEqual(['agentHealth.hiddenHostDetails.0']);
  });

  it('keeps the worst case far below the report limit', () => {
    const plugins = Array.from({ length: LIMITS.healthPlugins }, (_, index) => ({
      id: `plugin-${index}`.padEnd(64, 'x'),
      status: 'timed-out' as const,
      durationMs: 86_400_000,
    }));
    const crash = {
      ...health().lastCrash!,
      message: 'm'.repeat(LIMITS.messageText),
      stack: 's'.repeat(LIMITS.crashStackText),
      version: 'v'.repeat(64),
    };
    const worst = health({ plugins, lastCrash: crash, version: 'v'.repeat(64) });
    expect(reportSchema.safeParse({ ...validReport(), agentHealth: worst }).success).toBe(true);
    expect(JSON.stringify(worst).length).toBeLessThan(20 * 1024);
  });
});
