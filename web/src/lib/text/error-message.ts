// Text for errors from callables and Firestore reads. A callable's HttpsError
// message is written for the user by the function (it never carries internals),
// so it is shown as is; codes without a useful message get one here.

import { ownValue } from '@vigil/schema/constants';

const BY_CODE: Readonly<Record<string, string>> = {
  'functions/unavailable': 'The Vigil backend is unreachable. Check your connection and try again.',
  'functions/not-found': 'The Vigil backend is missing a function it needs. Is it deployed?',
  'functions/internal': 'The Vigil backend hit an internal error. Try again in a moment.',
  'functions/deadline-exceeded': 'The Vigil backend took too long to answer. Try again.',
  'functions/unauthenticated': 'Your session has expired. Sign out and sign in again.',
  'permission-denied': 'You do not have access to this workspace.',
  unavailable: 'The database is unreachable. Check your connection and try again.',
};

export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    const known = code !== undefined ? ownValue(BY_CODE, code) : undefined;
    if (known) return known;
    if ('message' in error && typeof error.message === 'string' && error.message !== '') {
      return error.message;
    }
  }
  return 'Something went wrong. Try again.';
}
