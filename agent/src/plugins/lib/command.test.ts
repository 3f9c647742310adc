import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../host/host.js';
import { commandFailure, firstLine, parseJson } from './command.js';

const result = (overrides: Partial<CommandResult>): CommandResult => ({
  exitCode: 1,
  stdout: '',
  stderr: '',
  timedOut: false,
  notFound: false,
  ...overrides,
});

describe('firstLine', () => {
  it('is the first line with words on it, trimmed, or undefined', () => {
    expect(firstLine('\n  \n  ERROR: problem running iptables  \nmore\n')).toBe('ERROR: problem running iptables');
    expect(firstLine(' \n\n')).toBeUndefined();
  });
});

describe('commandFailure', () => {
  it('says why a command gave no answer, from stderr, else stdout', () => {
    expect(commandFailure('ufw status verbose', result({ stderr: '\nERROR: You need to be root\n' }))).toBe(
      '`ufw status verbose` exited with 1: ERROR: You need to be root',
    );
    expect(commandFailure('cscli metrics', result({ exitCode: 2, stdout: 'no LAPI\n' }))).toBe('`cscli metrics` exited with 2: no LAPI');
    expect(commandFailure('auditctl -s', result({}))).toBe('`auditctl -s` exited with 1');
    expect(commandFailure('aa-status', result({ exitCode: null, notFound: true }))).toBe('`aa-status` could not run: the program is not installed');
    expect(commandFailure('sshd -T', result({ exitCode: null, timedOut: true }))).toBe('`sshd -T` timed out');
  });
});

describe('parseJson', () => {
  it('is undefined for no output or output that is not JSON', () => {
    expect(parseJson(' {"a": [1]} ')).toEqual({ a: [1] });
    expect(parseJson('  ')).toBeUndefined();
    expect(parseJson('level=info msg=x')).toBeUndefined();
  });
});
