// Seeds the running emulators with the demo workspace of `npm start`: the user demo@vigil.test /
// vigil-demo and their workspace, created the way a real first sign-in creates it (the
// bootstrapWorkspace callable), then renamed "Demo workspace". Safe to run again.
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { PORTS, PROJECT_ID, REGION } from './lib/emulator-env.mjs';

export const DEMO_USER = { email: 'demo@vigil.test', password: 'vigil-demo', displayName: 'Demo Admin' };
const API_KEY = 'demo-api-key';

async function ensureUser(auth) {
  try {
    return await auth.getUserByEmail(DEMO_USER.email);
  } catch {
    return auth.createUser({ ...DEMO_USER, emailVerified: true });
  }
}

async function signIn() {
  const response = await fetch(
    `http://127.0.0.1:${PORTS.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=${API_KEY}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password, returnSecureToken: true }),
    },
  );
  if (!response.ok) throw new Error(`demo sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()).idToken;
}

async function callAs(idToken, name, data = {}) {
  const response = await fetch(`http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/${REGION}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ data }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

export async function seedDemo() {
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= `127.0.0.1:${PORTS.auth}`;
  process.env.FIRESTORE_EMULATOR_HOST ??= `127.0.0.1:${PORTS.firestore}`;
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  await ensureUser(getAuth(app));
  const idToken = await signIn();
  const { workspaceId } = await callAs(idToken, 'bootstrapWorkspace');
  await getFirestore(app).doc(`workspaces/${workspaceId}`).update({ name: 'Demo workspace' });
  return { workspaceId, idToken };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { workspaceId } = await seedDemo();
  console.log(`seeded ${DEMO_USER.email} in workspace ${workspaceId}`);
}
