import { describe, expect, it } from 'vitest';
import { firstVersion, parseKeyValueLines } from './text.js';

describe('parseKeyValueLines', () => {
  it('reads space-separated config with comments and repeated keys', () => {
    const parsed = parseKeyValueLines('# comment\nPermitRootLogin no\nPort 22\nPort 2222 # second\n\nUsePAM yes\n');
    expect(parsed.get('PermitRootLogin')).toEqual(['no']);
    expect(parsed.get('Port')).toEqual(['22', '2222']);
    expect(parsed.has('#')).toBe(false);
  });

  it('reads equals-separated config', () => {
    const parsed = parseKeyValueLines('bantime = 10m\n; ini comment\nmaxretry=5\n', 'equals');
    expect(parsed.get('bantime')).toEqual(['10m']);
    expect(parsed.get('maxretry')).toEqual(['5']);
  });
});

describe('firstVersion', () => {
  it('finds the version in typical --version outputs', () => {
    expect(firstVersion('ClamAV 1.0.7/27470/Wed Nov 26 09:28:03 2026')).toBe('1.0.7');
    expect(firstVersion('Fail2Ban v1.0.2')).toBe('1.0.2');
    expect(firstVersion('OpenSSH_9.2p1 Debian-2+deb12u3')).toBe('9.2');
    expect(firstVersion('no digits')).toBeUndefined();
  });
});
