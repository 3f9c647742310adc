import { describe, expect, it } from 'vitest';
import { invitationQuota } from './invitation-quota.js';

const NOW = Date.parse('2026-12-01T18:00:00Z');

describe('the daily invitation quota', () => {
  it('counts sends per UTC day, from zero on a new day or a malformed count', () => {
    expect(invitationQuota(undefined, NOW)).toEqual({ allowed: true, next: { day: '2026-12-01', sent: 1 } });
    expect(invitationQuota({ day: '2026-12-01', sent: 5 }, NOW)).toEqual({ allowed: true, next: { day: '2026-12-01', sent: 6 } });
    expect(invitationQuota({ day: '2026-11-30', sent: 20 }, NOW)).toEqual({ allowed: true, next: { day: '2026-12-01', sent: 1 } });
    expect(invitationQuota({ day: '2026-12-01', sent: 'many' }, NOW)).toMatchObject({ allowed: true, next: { sent: 1 } });
  });

  it('refuses the 21st of the day until midnight UTC', () => {
    expect(invitationQuota({ day: '2026-12-01', sent: 19 }, NOW)).toMatchObject({ allowed: true, next: { sent: 20 } });
    expect(invitationQuota({ day: '2026-12-01', sent: 20 }, NOW)).toEqual({ allowed: false, retryAfterSeconds: 6 * 3600, limit: 20 });
  });
});
