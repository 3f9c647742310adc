// Sign-in methods. Each resolves once Firebase has a signed-in user; the auth
// context then sees the change and the pages redirect.
import {
  createUserWithEmailAndPassword,
  sendEmailVerification,
  sendPasswordResetEmail,
  signInWithEmailAndPassword,
  signOut,
  type ActionCodeSettings,
  type Auth,
  type User,
} from 'firebase/auth';

/** Where Firebase's email action page sends the person afterwards: back to this dashboard. */
function continueTo(path: string): ActionCodeSettings {
  return { url: `${window.location.origin}${path}` };
}

export async function signInWithEmail(auth: Auth, email: string, password: string): Promise<void> {
  await signInWithEmailAndPassword(auth, email.trim(), password);
}

export async function createAccount(auth: Auth, email: string, password: string): Promise<void> {
  const { user } = await createUserWithEmailAndPassword(auth, email.trim(), password);
  // Vigil mails alerts only to verified addresses. The account exists either way: should this send
  // fail (a rate limit), the banner on every page says so and sends it again on request.
  await sendVerificationEmail(user).catch(() => undefined);
}

export async function sendVerificationEmail(user: User): Promise<void> {
  await sendEmailVerification(user, continueTo('/'));
}

/**
 * Reads the account again after the person opened the verification link (possibly in another
 * tab), and refreshes the ID token so its email_verified claim says so too. The token change
 * reaches the auth context (onIdTokenChanged), which redraws the pages. Resolves with the result.
 */
export async function refreshVerification(user: User): Promise<boolean> {
  await user.reload();
  if (user.emailVerified) await user.getIdToken(true);
  return user.emailVerified;
}

export async function requestPasswordReset(auth: Auth, email: string): Promise<void> {
  await sendPasswordResetEmail(auth, email.trim(), continueTo('/signin/'));
}

export async function signInWithGoogle(auth: Auth): Promise<void> {
  // The popup code loads on click: no page needs it at start-up (lib/firebase/firebase.ts).
  const { signInWithGooglePopup } = await import('../firebase/google-popup');
  await signInWithGooglePopup(auth);
}

export async function signOutUser(auth: Auth): Promise<void> {
  await signOut(auth);
}
