// Lazy SDK getters: nothing connects at import time, so unit tests can import handlers freely and
// the emulator's environment (FIRESTORE_EMULATOR_HOST, ...) is read when first needed.
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';

function app() {
  return getApps()[0] ?? initializeApp();
}

export function firestore(): Firestore {
  return getFirestore(app());
}

export function auth(): Auth {
  return getAuth(app());
}
