import { reportSchema, type Report } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { canonicalJson, reportContentHash } from './report-content.js';

function report(): Report {
  return reportSchema.parse(validReport());
}

/** The report with its first solution changed by `change`. */
function withSolution(change: (solution: Report['solutions'][number]) => void): Report {
  const changed = report();
  change(changed.solutions[0]!);
  return changed;
}

const base = reportContentHash(report());

describe('reportContentHash', () => {
  it('is a SHA-256 hex digest, the same for the same content', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(reportContentHash(report())).toBe(base);
  });

  it('ignores what is measured, not said: metrics, durations, times, ids, host, agent health, delivery', () => {
    const measured: Report = {
      ...report(),
      reportId: 'r-another-one',
      collectedAt: '2026-11-28T11:00:00.000Z',
      agentVersion: '9.9.9',
      host: { hostname: 'elsewhere', kernel: '7.0' },
      delivery: { spooled: 3, dropped: 1 },
      agentHealth: { version: '9.9.9', uptimeSeconds: 5, plugins: [], pluginErrors: 2 },
    };
    measured.solutions[0]!.metrics = { signatures: 1, databaseAgeHours: 99, extra: 4 };
    measured.solutions[0]!.tests[0]!.durationMs = 1;
    measured.solutions[0]!.detectedBy = ['unit'];
    expect(reportContentHash(measured)).toBe(base);
  });

  it('changes with a configuration value, a test’s passed, message or type, an error, a version', () => {
    const changes = [
      withSolution((s) => (s.configuration.MaxFileSize = '26M')),
      withSolution((s) => (s.configuration['jails.enabled'] = ['nginx', 'sshd'])),
      withSolution((s) => delete s.configuration.ScanArchive),
      withSolution((s) => (s.tests[0]!.passed = false)),
      withSolution((s) => (s.tests[0]!.message = 'EICAR missed')),
      withSolution((s) => (s.tests[0]!.type = 'operational')),
      withSolution((s) => s.errors.push({ message: 'freshclam failed' })),
      withSolution((s) => (s.version = '1.0.8')),
      withSolution((s) => (s.version = null)),
    ];
    const hashes = changes.map(reportContentHash);
    for (const hash of hashes) expect(hash).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('changes when a solution or a test is added or removed', () => {
    const added = report();
    added.solutions.push({ ...added.solutions[0]!, id: 'fail2ban' });
    const removed = { ...report(), solutions: [] };
    const testAdded = withSolution((s) => s.tests.push({ ...s.tests[0]!, id: 'db-fresh' }));
    const testRemoved = withSolution((s) => (s.tests = []));
    for (const changed of [added, removed, testAdded, testRemoved]) expect(reportContentHash(changed)).not.toBe(base);
  });

  it('does not depend on the order of keys, solutions, tests or errors', () => {
    const two = report();
    two.solutions.push({
      ...two.solutions[0]!,
      id: 'fail2ban',
      tests: [two.solutions[0]!.tests[0]!, { ...two.solutions[0]!.tests[0]!, id: 'a-test' }],
    });
    two.solutions[0]!.errors = [{ message: 'one' }, { code: 'x', message: 'two' }];
    const reordered: Report = {
      ...two,
      solutions: [...two.solutions].reverse().map((solution) => ({
        tests: [...solution.tests]
          .reverse()
          .map((test) => ({ message: test.message, passed: test.passed, type: test.type, id: test.id, durationMs: 3 })),
        errors: [...solution.errors].reverse().map((error) => (error.code === undefined ? error : { message: error.message, code: error.code })),
        configuration: Object.fromEntries(Object.entries(solution.configuration).reverse()),
        metrics: {},
        detectedBy: [],
        version: solution.version,
        id: solution.id,
      })),
    };
    expect(reportContentHash(reordered)).toBe(reportContentHash(two));
  });

  it('treats __proto__ and constructor keys as data', () => {
    const proto = withSolution((s) => (s.configuration = JSON.parse('{"__proto__": "x", "MaxFileSize": "25M"}') as Record<string, string>));
    const protoOther = withSolution((s) => (s.configuration = JSON.parse('{"__proto__": "y", "MaxFileSize": "25M"}') as Record<string, string>));
    const plain = withSolution((s) => (s.configuration = { MaxFileSize: '25M' }));
    const constructor = withSolution((s) => (s.configuration = { MaxFileSize: '25M', constructor: 'x' }));
    const hashes = [proto, protoOther, plain, constructor].map(reportContentHash);
    expect(new Set(hashes).size).toBe(4);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
