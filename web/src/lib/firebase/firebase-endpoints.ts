// Where the dashboard's Firebase clients connect: the one home of these facts for lib/firebase/firebase.ts
// (which connects) and lib/config/content-security-policy.ts (which allows exactly these). The functions'
// region is the one every side shares (@vigil/schema/constants).
import { FUNCTIONS_REGION } from '@vigil/schema/constants';

// Ports of the stable emulator interface (firebase.json).
export const EMULATOR_HOST = '127.0.0.1';
export const AUTH_EMULATOR_PORT = 9099;
export const FIRESTORE_EMULATOR_PORT = 8080;
export const FUNCTIONS_EMULATOR_PORT = 5001;

/** The origins the SDKs talk to in production (Auth, token refresh, Firestore, this project's callables). */
export function firebaseOrigins(projectId: string): string[] {
  return [
    'https://identitytoolkit.googleapis.com',
    'https://securetoken.googleapis.com',
    'https://firestore.googleapis.com',
    `https://${FUNCTIONS_REGION}-${projectId}.cloudfunctions.net`,
  ];
}

/** The emulators' origins, for a build that talks to them instead. */
export function emulatorOrigins(): string[] {
  return [AUTH_EMULATOR_PORT, FIRESTORE_EMULATOR_PORT, FUNCTIONS_EMULATOR_PORT].map((port) => `http://${EMULATOR_HOST}:${port}`);
}
