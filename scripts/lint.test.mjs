// `npm run lint` must catch a forgotten `await`: it runs ESLint with typescript-eslint's
// type-checked no-floating-promises rule (eslint.config.js). This test lints two fixtures through the
// repository's own config: one with four kinds of floating promise, one with the same calls handled.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './lib/emulator-env.mjs';

const eslint = path.join(REPO_ROOT, 'node_modules', '.bin', 'eslint');
const FIXTURES = 'scripts/fixtures/lint';

/** ESLint's findings per fixture file name, as `line rule` strings; --no-ignore because the repository lint skips the fixtures. */
function lint(...files) {
  const result = spawnSync(eslint, ['--no-ignore', '--format', 'json', ...files.map((file) => `${FIXTURES}/${file}`)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const findings = {};
  for (const report of JSON.parse(result.stdout)) {
    findings[path.basename(report.filePath)] = report.messages.map((message) => `${message.line} ${message.ruleId}`);
  }
  return { status: result.status, findings };
}

describe('npm run lint', () => {
  it('fails on every floating promise, and only on those', () => {
    const { status, findings } = lint('floating-promise.ts', 'awaited-promise.ts');
    expect(findings['floating-promise.ts']).toEqual([
      '14 @typescript-eslint/no-floating-promises',
      '15 @typescript-eslint/no-floating-promises',
      '16 @typescript-eslint/no-floating-promises',
      '17 @typescript-eslint/no-floating-promises',
    ]);
    expect(findings['awaited-promise.ts']).toEqual([]);
    expect(status).toBe(1);
  }, 120_000);

  it('passes a file whose promises are all handled', () => {
    expect(lint('awaited-promise.ts')).toEqual({ status: 0, findings: { 'awaited-promise.ts': [] } });
  }, 120_000);
});
