import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTestResults } from './test-results.mjs';

const dirs = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function resultsDir(files) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-results-'));
  dirs.push(dir);
  for (const [name, report] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(report));
  return dir;
}

describe('readTestResults', () => {
  it('adds up every tier and names each failed test with the first line of its message', () => {
    const dir = resultsDir({
      unit: { numPassedTests: 10, numFailedTests: 0, testResults: [] },
      emulators: {
        numPassedTests: 5,
        numFailedTests: 1,
        testResults: [
          {
            name: '/repo/tests/int/a.int.test.ts',
            status: 'failed',
            assertionResults: [
              { status: 'passed', fullName: 'a works' },
              { status: 'failed', fullName: 'a breaks', failureMessages: ['\nAssertionError: expected 1 to be 2\n    at x'] },
            ],
          },
        ],
      },
    });
    expect(readTestResults(dir, '/repo')).toEqual({
      passed: 15,
      failed: 1,
      failures: ['tests/int/a.int.test.ts > a breaks: AssertionError: expected 1 to be 2'],
    });
  });

  it('counts a file that failed to load, whose tests never ran, as one failure', () => {
    const dir = resultsDir({
      host: {
        numPassedTests: 0,
        numFailedTests: 0,
        testResults: [{ name: '/repo/agent/test/h.test.ts', status: 'failed', message: 'Cannot find module x', assertionResults: [] }],
      },
    });
    expect(readTestResults(dir, '/repo')).toEqual({ passed: 0, failed: 1, failures: ['agent/test/h.test.ts: Cannot find module x'] });
  });

  it('cuts a long message and reads nothing for a tier that did not run', () => {
    const dir = resultsDir({
      deploy: {
        numPassedTests: 0,
        numFailedTests: 1,
        testResults: [
          { name: '/repo/d.test.mjs', status: 'failed', assertionResults: [{ status: 'failed', fullName: 'd', failureMessages: ['x'.repeat(400)] }] },
        ],
      },
    });
    const { failures } = readTestResults(dir, '/repo');
    expect(failures[0]).toBe(`d.test.mjs > d: ${'x'.repeat(300)}…`);
    expect(readTestResults(resultsDir({}), '/repo')).toEqual({ passed: 0, failed: 0, failures: [] });
  });
});
