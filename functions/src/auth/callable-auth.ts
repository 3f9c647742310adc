import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';

export interface CallerIdentity {
  uid: string;
  email: string | null;
}

/** The signed-in caller of a callable, from its verified Firebase ID token. */
export function requireSignedIn(request: CallableRequest<unknown>): CallerIdentity {
  // The Functions emulator does not verify token signatures and hands a garbled token through as an
  // auth object without a uid; production verifies. Checking the uid refuses both the same way.
  const uid = request.auth?.uid;
  if (typeof uid !== 'string' || uid.length === 0) throw new HttpsError('unauthenticated', 'Sign in first.');
  const email = request.auth?.token.email;
  return { uid, email: typeof email === 'string' ? email : null };
}
