// Sign-in methods. Each resolves once Firebase has a signed-in user; the auth
// context then sees the change and the pages redirect.
import {
  createUserWithEmailAndPassword,
  signInWithEmailAndPassword,
  signOut,
  type Auth,
} from 'firebase/auth';

export async function signInWithEmail(auth: Auth, email: string, password: string): Promise<void> {
  await signInWithEmailAndPassword(auth, email.trim(), password);
}

export async function createAccount(auth: Auth, email: string, password: string): Promise<void> {
  await createUserWithEmailAndPassword(auth, email.trim(), password);
}

export async function signInWithGoogle(auth: Auth): Promise<void> {
  // The popup code loads on click: no page needs it at start-up (lib/firebase.ts).
  const { signInWithGooglePopup } = await import('./google-popup');
  await signInWithGooglePopup(auth);
}

export async function signOutUser(auth: Auth): Promise<void> {
  await signOut(auth);
}
