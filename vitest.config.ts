// Test tiers by file name (see docs/architecture.md, "Tests"):
//   unit     *.test.ts beside the source, no emulators, no network
//   deploy   scripts/*.deploy.test.mjs: functions/ installed from the registry alone, as deploy does
//   host     agent/test/*.host.test.ts: the real agent bundle against this machine's real packages
//   outage   agent/test/*.outage.test.ts: delivery across a functions emulator outage (starts its own emulators)
//   int      *.int.test.ts, only under `node scripts/emulators.mjs exec` (refuses to run otherwise)
//   browser  web/browser-tests/*.browser.test.ts, headless Chromium against the Hosting emulator
import { defineConfig } from 'vitest/config';

const ignored = ['**/node_modules/**', 'functions/lib/**', 'agent/dist/**', 'web/.next/**', 'web/out/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{schema,functions,agent,web}/src/**/*.test.ts', 'agent/test/**/*.test.ts', 'scripts/**/*.test.mjs', 'bench/**/*.test.mjs'],
          exclude: [...ignored, '**/*.int.test.ts', '**/*.deploy.test.mjs', '**/*.host.test.ts', '**/*.outage.test.ts'],
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['scripts/**/*.deploy.test.mjs'],
          exclude: ignored,
          testTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'host',
          include: ['agent/test/**/*.host.test.ts'],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'outage',
          include: ['agent/test/**/*.outage.test.ts'],
          exclude: ignored,
          testTimeout: 600_000,
          hookTimeout: 1_500_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'int',
          include: ['**/*.int.test.ts'],
          exclude: ignored,
          setupFiles: ['tests/support/require-emulators.ts'],
          // Generous: the emulator runs triggers from a queue that earlier files may have filled.
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // One emulator suite is shared: files run one after another so their data never mixes.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['web/browser-tests/**/*.browser.test.ts'],
          exclude: ignored,
          setupFiles: ['tests/support/require-emulators.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // expect.poll's own default is 1 s: too short for a page that restores its session and
          // queries the emulators while triggers from earlier files still queue (support/browser.ts UI_TIMEOUT_MS).
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
