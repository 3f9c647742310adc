import { describe, expect, it } from 'vitest';
import { emailHourLimit } from './email-cap.js';

describe('emailHourLimit', () => {
  it('is the deploy parameter when the workspace has no override', () => {
    expect(emailHourLimit(30, undefined)).toEqual({ limit: 30 });
  });

  it("is the workspace's override when it is a whole number of 0 or more, higher or lower", () => {
    expect(emailHourLimit(30, 5)).toEqual({ limit: 5 });
    expect(emailHourLimit(30, 10_000)).toEqual({ limit: 10_000 });
    // 0: nothing mailed one by one; the hour's alerts are told in its one summary email.
    expect(emailHourLimit(30, 0)).toEqual({ limit: 0 });
  });

  it('ignores a malformed override, saying so, and keeps the parameter', () => {
    for (const bad of [-1, 1.5, '500', null, Number.NaN, Number.POSITIVE_INFINITY, {}, true]) {
      expect(emailHourLimit(30, bad), String(bad)).toEqual({ limit: 30, ignoredOverride: bad });
    }
  });
});
