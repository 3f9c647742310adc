import { describe, expect, it } from 'vitest';
import { ALL_EMULATORS, logTail, parseExecArgs } from './exec-options.mjs';

describe('parseExecArgs', () => {
  it('runs every emulator, logs to the terminal, by default', () => {
    expect(parseExecArgs(['--', 'npx', 'vitest', 'run'])).toEqual({ only: ALL_EMULATORS, logFile: undefined, command: ['npx', 'vitest', 'run'] });
  });

  it('takes --only and --log in any order; what follows -- is the command, even if it looks like an option', () => {
    expect(parseExecArgs(['--log', '.vigil/logs/e.log', '--only', 'auth,firestore', '--', 'cmd', '--log', 'x'])).toEqual({
      only: 'auth,firestore',
      logFile: '.vigil/logs/e.log',
      command: ['cmd', '--log', 'x'],
    });
  });

  it.each([
    [['npx', 'vitest'], 'exec needs `--` before the command'],
    [['--'], 'exec needs a command'],
    [['--log', '--', 'cmd'], '--log needs a value'],
    [['--only', '', '--', 'cmd'], '--only needs a value'],
    [['--only', '--log', 'f', '--', 'cmd'], '--only needs a value'],
    [['--quiet', '--', 'cmd'], 'unknown option: --quiet'],
  ])('refuses %j: %s', (args, reason) => {
    expect(() => parseExecArgs(args)).toThrow(reason);
  });
});

describe('logTail', () => {
  it('keeps the last lines and counts them all, without the trailing newline', () => {
    expect(logTail('a\nb\nc\nd\n', 2)).toEqual({ total: 4, tail: ['c', 'd'] });
  });

  it('keeps a short log whole, and an empty one is empty', () => {
    expect(logTail('only\n', 80)).toEqual({ total: 1, tail: ['only'] });
    expect(logTail('', 80)).toEqual({ total: 0, tail: [] });
  });
});
