import { describe, expect, it } from 'vitest';
import { describeClockSkew } from './clock-skew';
import { agentFromDoc } from '../model/agent';

describe('describeClockSkew', () => {
  it('says nothing was measured when the agent document has no skew', () => {
    for (const missing of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(describeClockSkew(missing)).toBeNull();
  });

  it('reads a clock within a second as in step', () => {
    expect(describeClockSkew(0)).toEqual({ text: 'in step with the server', warning: false, explanation: null });
    expect(describeClockSkew(-0.4)).toMatchObject({ text: 'in step with the server', warning: false });
  });

  it('tells ahead from behind, in whole seconds, minutes and hours', () => {
    expect(describeClockSkew(2.4)).toEqual({ text: '2 s ahead of the server', warning: false, explanation: null });
    expect(describeClockSkew(-2)).toEqual({ text: '2 s behind the server', warning: false, explanation: null });
    expect(describeClockSkew(-75)).toMatchObject({ text: '1 min 15 s behind the server', warning: false });
    expect(describeClockSkew(300)).toMatchObject({ text: '5 min ahead of the server', warning: false });
    expect(describeClockSkew(5400)).toMatchObject({ text: '1 h 30 min ahead of the server', warning: true });
  });

  it('warns beyond LIMITS.clockSkewSeconds (5 minutes) and says what it means', () => {
    expect(describeClockSkew(301)).toEqual({
      text: '5 min 1 s ahead of the server',
      warning: true,
      explanation: 'Reports collected more than 5 minutes in the future are timed at receipt. Check the time synchronisation (NTP) of the host.',
    });
    expect(describeClockSkew(-900)).toEqual({
      text: '15 min behind the server',
      warning: true,
      explanation: 'Its reports carry the times it sends, so they look late. Check the time synchronisation (NTP) of the host.',
    });
  });

  it('counts days for a clock years off (a 2099 clock)', () => {
    const seconds = (Date.parse('2099-01-01T00:00:00Z') - Date.parse('2026-01-01T00:00:00Z')) / 1000;
    expect(describeClockSkew(seconds)).toMatchObject({ text: '26663 days ahead of the server', warning: true });
    expect(describeClockSkew(86_400)).toMatchObject({ text: '1 day ahead of the server' });
  });
});

describe('the agent document', () => {
  it('carries clockSkewSeconds when it is a finite number, null otherwise', () => {
    expect(agentFromDoc('a', { clockSkewSeconds: -3.5 }).clockSkewSeconds).toBe(-3.5);
    for (const value of [undefined, null, 'x', Number.NaN]) expect(agentFromDoc('a', { clockSkewSeconds: value }).clockSkewSeconds).toBeNull();
  });
});
