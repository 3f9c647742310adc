import { describe, expect, it } from 'vitest';
import { authErrorMessage } from './auth-errors';

describe('authErrorMessage', () => {
  it('gives a wrong password and an unknown user the same message, so emails cannot be probed', () => {
    const wrongPassword = authErrorMessage({ code: 'auth/wrong-password' });
    expect(wrongPassword).toMatch(/do not match/);
    expect(authErrorMessage({ code: 'auth/user-not-found' })).toBe(wrongPassword);
    expect(authErrorMessage({ code: 'auth/invalid-credential' })).toBe(wrongPassword);
  });

  it('explains account creation failures', () => {
    expect(authErrorMessage({ code: 'auth/email-already-in-use' })).toMatch(/already exists/);
    expect(authErrorMessage({ code: 'auth/weak-password' })).toMatch(/stronger password/);
  });

  it('falls back to a generic message for unknown codes and non-errors, never the raw text', () => {
    const fallback = authErrorMessage({ code: 'auth/something-new', message: 'internal detail' });
    expect(fallback).not.toContain('internal detail');
    expect(authErrorMessage('boom')).toBe(fallback);
    expect(authErrorMessage(null)).toBe(fallback);
  });
});
