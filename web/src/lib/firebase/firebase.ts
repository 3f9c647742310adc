// Firebase web SDK clients for the browser. Created lazily on first use, so the
// static prerender at build time never initializes the SDK, and once per page
// (kept on globalThis so a dev hot reload does not connect an emulator twice).
// Auth is needed on every page; Firestore and Functions are imported on demand,
// so pages that never read data (the sign-in page) do not download them.
import { getApp, getApps, initializeApp, type FirebaseApp } from 'firebase/app';
import { browserLocalPersistence, connectAuthEmulator, indexedDBLocalPersistence, initializeAuth, type Auth } from 'firebase/auth';
import type { Firestore } from 'firebase/firestore';
import type { Functions } from 'firebase/functions';
import { readPublicEnv, type PublicEnv } from '../config/env';
import { FUNCTIONS_REGION } from '@vigil/schema/constants';
import { AUTH_EMULATOR_PORT, EMULATOR_HOST, FIRESTORE_EMULATOR_PORT, FUNCTIONS_EMULATOR_PORT } from './firebase-endpoints';

const AUTH_EMULATOR_URL = `http://${EMULATOR_HOST}:${AUTH_EMULATOR_PORT}`;

interface FirebaseClients {
  env: PublicEnv;
  app: FirebaseApp;
  auth: Auth;
  db?: Promise<Firestore>;
  functions?: Promise<Functions>;
}

const holder = globalThis as typeof globalThis & { __vigilFirebase?: FirebaseClients };

function createClients(): FirebaseClients {
  const env = readPublicEnv();
  const app = getApps().length > 0 ? getApp() : initializeApp(env.firebase);
  // initializeAuth rather than getAuth: getAuth also installs the popup/redirect resolver, which on
  // every page load checks for a pending redirect sign-in (an iframe from the auth domain) before it
  // reports the session, and adds its code to every page. Only the Google button needs it, and
  // passes it to signInWithPopup itself.
  // (Once per page: the holder below keeps the clients across a dev hot reload.)
  const auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] });
  if (env.useEmulators) connectAuthEmulator(auth, AUTH_EMULATOR_URL, { disableWarnings: true });
  return { env, app, auth };
}

function clients(): FirebaseClients {
  if (typeof window === 'undefined') {
    throw new Error('The Firebase web SDK is for the browser only: call it from an effect or an event handler.');
  }
  holder.__vigilFirebase ??= createClients();
  return holder.__vigilFirebase;
}

async function createDb({ app, env }: FirebaseClients): Promise<Firestore> {
  const { connectFirestoreEmulator, getFirestore } = await import('firebase/firestore');
  const db = getFirestore(app);
  if (env.useEmulators) connectFirestoreEmulator(db, EMULATOR_HOST, FIRESTORE_EMULATOR_PORT);
  return db;
}

async function createFunctions({ app, env }: FirebaseClients): Promise<Functions> {
  const { connectFunctionsEmulator, getFunctions } = await import('firebase/functions');
  const functions = getFunctions(app, FUNCTIONS_REGION);
  if (env.useEmulators) connectFunctionsEmulator(functions, EMULATOR_HOST, FUNCTIONS_EMULATOR_PORT);
  return functions;
}

export const getFirebaseAuth = (): Auth => clients().auth;

export function getDb(): Promise<Firestore> {
  const current = clients();
  current.db ??= createDb(current);
  return current.db;
}

export function getFunctionsClient(): Promise<Functions> {
  const current = clients();
  current.functions ??= createFunctions(current);
  return current.functions;
}
