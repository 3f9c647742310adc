import { describe, expect, it } from 'vitest';
import { eventSummary } from './event-text';

describe('eventSummary', () => {
  it('names the tests, changes and solutions of an event', () => {
    expect(
      eventSummary({
        kind: 'test_failed',
        solutionIds: ['sshd'],
        details: { tests: [{ solutionId: 'sshd', testId: 'root-login-disabled', type: 'security', message: 'm' }] },
      }),
    ).toBe('1 test failing (OpenSSH server: root-login-disabled)');
    expect(
      eventSummary({
        kind: 'config_changed',
        solutionIds: ['ufw'],
        details: {
          changes: [
            { solutionId: 'ufw', key: 'a', before: 1, after: 2 },
            { solutionId: 'ufw', key: 'b', before: null, after: 2 },
          ],
        },
      }),
    ).toBe('2 configuration fields changed in UFW');
    expect(eventSummary({ kind: 'solution_added', solutionIds: ['clamav'], details: { solutions: ['clamav'] } })).toBe('Found ClamAV');
    expect(eventSummary({ kind: 'agent_offline', solutionIds: [], details: { missedIntervals: 4.2 } })).toBe('Silent for 4 reporting intervals');
  });
});
