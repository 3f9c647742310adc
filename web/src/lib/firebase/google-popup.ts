// Google sign-in in a popup, with the popup/redirect resolver that lib/firebase/firebase.ts leaves out of
// start-up. Imported on demand by auth-actions.ts.
import { browserPopupRedirectResolver, GoogleAuthProvider, signInWithPopup, type Auth } from 'firebase/auth';

export async function signInWithGooglePopup(auth: Auth): Promise<void> {
  await signInWithPopup(auth, new GoogleAuthProvider(), browserPopupRedirectResolver);
}
