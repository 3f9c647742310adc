// Shared helpers for *.int.test.ts: admin access to the emulators, signed-in clients, callables.
import { getApps as getAdminApps, initializeApp as initializeAdminApp } from 'firebase-admin/app';
import { getAuth as getAdminAuth } from 'firebase-admin/auth';
import { getFirestore as getAdminFirestore } from 'firebase-admin/firestore';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth, type User } from 'firebase/auth';
import { connectFunctionsEmulator, getFunctions, httpsCallable } from 'firebase/functions';

export const PROJECT_ID = 'demo-vigil';
export const REGION = 'us-central1';
export const FUNCTIONS_ORIGIN = `http://127.0.0.1:5001/${PROJECT_ID}/${REGION}`;

function adminApp() {
  return getAdminApps()[0] ?? initializeAdminApp({ projectId: PROJECT_ID });
}

export function adminDb() {
  return getAdminFirestore(adminApp());
}

/** The Admin Auth SDK against the Auth emulator (to verify an address, as its owner would). */
export function adminAuth() {
  return getAdminAuth(adminApp());
}

let clientCount = 0;

export interface SignedInClient {
  app: FirebaseApp;
  user: User;
  call<T = unknown>(name: string, data?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * A fresh user signed in through the Auth emulator, with the web SDK as the dashboard uses it. Its
 * address is verified (as by opening the verification link), since only verified addresses receive
 * email; `verified: false` leaves it as sign-up does.
 */
export async function newSignedInClient(emailPrefix = 'user', options: { verified?: boolean } = {}): Promise<SignedInClient> {
  clientCount += 1;
  const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-api-key' }, `client-${clientCount}-${Date.now()}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  const functions = getFunctions(app, REGION);
  connectFunctionsEmulator(functions, '127.0.0.1', 5001);
  const email = `${emailPrefix}-${clientCount}-${Date.now()}@vigil.test`;
  const { user } = await createUserWithEmailAndPassword(auth, email, 'correct-horse-battery');
  if (options.verified ?? true) {
    await adminAuth().updateUser(user.uid, { emailVerified: true });
    await user.reload();
  }
  return {
    app,
    user,
    async call<T>(name: string, data: unknown = {}) {
      const result = await httpsCallable(functions, name)(data);
      return result.data as T;
    },
    close: () => deleteApp(app),
  };
}

/** Calls a callable over plain HTTP, as any client (or attacker) can, returning status and body. */
export async function callRaw(name: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${FUNCTIONS_ORIGIN}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    json: json as { result?: unknown; error?: { status: string; message: string; details?: unknown } } | undefined,
    text,
  };
}
