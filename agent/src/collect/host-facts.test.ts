import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeSystem, unameMachine } from './host-facts.js';

describe('the machine name', () => {
  it('is uname -m on this host', () => {
    const uname = execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim();
    expect(nodeSystem.machine()).toBe(uname);
    // The fallback for Node before 18.9, which this Node (with os.machine()) never takes: checked here too.
    expect(unameMachine(process.arch)).toBe(uname);
  });

  it("translates Node's names where os.machine() is missing (Node before 18.9)", () => {
    expect(unameMachine('x64')).toBe('x86_64');
    expect(unameMachine('arm64')).toBe('aarch64');
    expect(unameMachine('riscv64')).toBe('riscv64');
  });
});
