// What the tiers' vitest JSON reports add up to: counts, and a line per failure. The summary that
// prints them is the tail of `npm test`, which is often all a CI page keeps, so it names what
// failed below the emulators' log rather than leaving it above.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Each tier's results file under RESULTS_DIR (scripts/test.mjs's vitestArgs names them). */
const RESULT_FILES = ['unit', 'deploy', 'host', 'outage', 'emulators'];
const MAX_MESSAGE = 300;

export function readTestResults(resultsDir, repoRoot) {
  let passed = 0;
  let failed = 0;
  const failures = [];
  for (const results of RESULT_FILES) {
    const file = path.join(resultsDir, `${results}.json`);
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    for (const result of report.testResults ?? []) {
      const where = path.relative(repoRoot, result.name ?? '');
      const failedTests = (result.assertionResults ?? []).filter((test) => test.status === 'failed');
      for (const test of failedTests) failures.push(`${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      // A failed file none of whose tests failed could not even load: it counts as one failure.
      if (result.status === 'failed' && failedTests.length === 0) {
        failed += 1;
        failures.push(`${where}: ${firstLine(result.message)}`);
      }
    }
  }
  return { passed, failed, failures };
}

function firstLine(text) {
  const line =
    String(text ?? '')
      .split('\n')
      .find((candidate) => candidate.trim() !== '') ?? '(no message: see the output above)';
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}
