import { describe, expect, it } from 'vitest';
import { authErrorMessage, passwordResetFailure } from './auth-errors';

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

describe('passwordResetFailure', () => {
  it('treats an unknown address as sent, so the form cannot tell who has an account', () => {
    for (const code of ['auth/user-not-found', 'auth/invalid-credential']) expect(passwordResetFailure({ code })).toBeNull();
  });

  it('shows what the person can fix or wait for', () => {
    expect(passwordResetFailure({ code: 'auth/invalid-email' })).toMatch(/email address/);
    expect(passwordResetFailure({ code: 'auth/missing-email' })).toMatch(/Enter your email/);
    expect(passwordResetFailure({ code: 'auth/too-many-requests' })).toMatch(/Too many attempts/);
    expect(passwordResetFailure({ code: 'auth/network-request-failed' })).toMatch(/Cannot reach/);
  });
});
