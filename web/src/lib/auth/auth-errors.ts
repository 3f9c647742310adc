// Firebase Auth error codes, told as a person would want to read them.
// Wrong password and unknown user read the same on purpose: saying which one
// failed would tell an attacker which emails have accounts.

import { ownValue } from '@vigil/schema/constants';

const WRONG_CREDENTIALS = 'That email and password do not match an account. Check them and try again.';

const MESSAGES: Readonly<Record<string, string>> = {
  'auth/invalid-credential': WRONG_CREDENTIALS,
  'auth/invalid-login-credentials': WRONG_CREDENTIALS,
  'auth/wrong-password': WRONG_CREDENTIALS,
  'auth/user-not-found': WRONG_CREDENTIALS,
  'auth/invalid-email': 'That does not look like an email address.',
  'auth/missing-email': 'Enter your email address.',
  'auth/missing-password': 'Enter your password.',
  'auth/weak-password': 'Choose a stronger password: at least 6 characters.',
  'auth/email-already-in-use': 'An account with this email already exists. Sign in instead.',
  'auth/user-disabled': 'This account has been disabled. Contact your workspace owner.',
  'auth/too-many-requests': 'Too many attempts. Wait a few minutes, then try again.',
  'auth/network-request-failed': 'Cannot reach the sign-in service. Check your connection and try again.',
  'auth/operation-not-allowed': 'This sign-in method is not enabled for this project.',
  'auth/popup-closed-by-user': 'The Google sign-in window was closed before signing in finished.',
  'auth/cancelled-popup-request': 'The Google sign-in window was closed before signing in finished.',
  'auth/popup-blocked': 'The browser blocked the Google sign-in window. Allow pop-ups for this site and try again.',
  'auth/account-exists-with-different-credential': 'This email already signs in another way. Use email and password instead.',
};

const FALLBACK = 'Signing in failed. Try again in a moment.';

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function authErrorMessage(error: unknown): string {
  const code = errorCode(error);
  return (code !== undefined ? ownValue(MESSAGES, code) : undefined) ?? FALLBACK;
}

/** Codes that would tell whether an address has an account: a reset request reads as sent. */
const UNKNOWN_ACCOUNT = new Set(['auth/user-not-found', 'auth/invalid-credential']);

/**
 * What a failed password-reset request shows: null when the form must say "sent" anyway (the
 * address has no account, which the form never reveals); otherwise a message the person can act on.
 */
export function passwordResetFailure(error: unknown): string | null {
  const code = errorCode(error);
  return code !== undefined && UNKNOWN_ACCOUNT.has(code) ? null : authErrorMessage(error);
}
