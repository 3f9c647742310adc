// Seeds the running emulators with the demo of `npm start`, the way real use creates data:
// - the user demo@vigil.test / vigil-demo, its address verified (only verified addresses receive
//   email), whose workspace comes from the real bootstrapWorkspace callable (then renamed "Demo
//   workspace");
// - a small demo fleet enrolled with the real createAgent callable, whose reports are real agent
//   collections over captured fixtures (`vigil-agent collect --json --fixture …`), sent to the real
//   ingestReport callable: one healthy host, one with problems, and one that goes from healthy to
//   failing with a configuration change, so the dashboard has events and the mail sink has mail;
// - an agent for this machine, whose key the caller gets to run the real agent (`run`);
// - the fleet summary the overview reads, by running the summarizeFleets schedule once.
// Safe to run again: the emulators start empty on every `npm start`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { PORTS, PROJECT_ID, REGION, REPO_ROOT } from './lib/emulator-env.mjs';

export const DEMO_USER = { email: 'demo@vigil.test', password: 'vigil-demo', displayName: 'Demo Admin' };
const API_KEY = 'demo-api-key';
const FUNCTIONS = `http://127.0.0.1:${PORTS.functions}/${PROJECT_ID}/${REGION}`;
export const INGEST_URL = `${FUNCTIONS}/ingestReport`;
const AGENT_BUNDLE = path.join(REPO_ROOT, 'agent', 'dist', 'vigil-agent.mjs');

const fixture = (id, scenario) => `${id}=${path.join(REPO_ROOT, 'agent', 'fixtures', id, scenario)}`;

/** Each demo host: the fixtures of its reports, oldest first. */
const DEMO_FLEET = [
  {
    name: 'web-1',
    description: 'Public web server',
    reports: [
      [
        fixture('clamav', 'healthy'),
        fixture('fail2ban', 'healthy'),
        fixture('sshd', 'hardened'),
        fixture('ufw', 'active'),
        fixture('certbot', 'healthy'),
      ],
    ],
  },
  {
    name: 'db-1',
    description: 'Database server',
    reports: [
      [
        fixture('clamav', 'stale-signatures'),
        fixture('sshd', 'root-password-login'),
        fixture('auditd', 'no-rules'),
        fixture('unattended-upgrades', 'stale'),
      ],
    ],
  },
  {
    name: 'edge-1',
    description: 'Edge router with IDS',
    reports: [
      [fixture('suricata', 'healthy'), fixture('crowdsec', 'healthy'), fixture('ufw', 'active'), fixture('vector', 'healthy')],
      [fixture('suricata', 'stale-rules'), fixture('crowdsec', 'no-bouncer'), fixture('ufw', 'default-allow'), fixture('vector', 'healthy')],
    ],
  },
];

/** The demo user, with a verified address: only verified addresses receive Vigil's email. */
async function ensureUser(auth) {
  let existing;
  try {
    existing = await auth.getUserByEmail(DEMO_USER.email);
  } catch {
    return auth.createUser({ ...DEMO_USER, emailVerified: true });
  }
  return existing.emailVerified ? existing : auth.updateUser(existing.uid, { emailVerified: true });
}

async function signIn() {
  const response = await fetch(`http://127.0.0.1:${PORTS.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=${API_KEY}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password, returnSecureToken: true }),
  });
  if (!response.ok) throw new Error(`demo sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()).idToken;
}

async function call(name, data, headers) {
  const response = await fetch(`${FUNCTIONS}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ data }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * createAgent, then its host's enrollment with the install command's token (install.sh --token):
 * createAgent hands out no key (functions/src/enrollment/bound-token.ts). Returns the agent's key.
 */
async function createAndEnroll(workspaceId, agent, asDemo) {
  const { token } = await call('createAgent', { workspaceId, ...agent }, asDemo);
  const machineId = createHash('sha256').update(`vigil:demo-${agent.name}`).digest('hex');
  const { key } = await call('enrollAgent', { machineId, hostname: agent.name }, { 'x-vigil-enrollment-token': token });
  return key;
}

/** A real agent collection over fixtures: exactly the JSON the agent would send. */
function collectFromFixtures(fixtures) {
  const result = spawnSync(process.execPath, [AGENT_BUNDLE, 'collect', '--json', ...fixtures.flatMap((pair) => ['--fixture', pair])], {
    encoding: 'utf8',
    env: { ...process.env, VIGIL_LOG_LEVEL: 'error' },
  });
  if (result.status !== 0) throw new Error(`vigil-agent collect failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export async function seedDemo() {
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= `127.0.0.1:${PORTS.auth}`;
  process.env.FIRESTORE_EMULATOR_HOST ??= `127.0.0.1:${PORTS.firestore}`;
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  await ensureUser(getAuth(app));
  const idToken = await signIn();
  const asDemo = { authorization: `Bearer ${idToken}` };
  const { workspaceId } = await call('bootstrapWorkspace', {}, asDemo);
  await getFirestore(app).doc(`workspaces/${workspaceId}`).update({ name: 'Demo workspace' });

  for (const host of DEMO_FLEET) {
    const key = await createAndEnroll(workspaceId, { name: host.name, description: host.description }, asDemo);
    for (const fixtures of host.reports) {
      const report = collectFromFixtures(fixtures);
      report.host = { ...report.host, hostname: `${host.name}.demo.vigil.test` };
      await call('ingestReport', report, { 'x-vigil-key': key });
    }
  }
  const localAgentKey = await createAndEnroll(workspaceId, { name: 'this-machine', description: 'The agent started by npm start' }, asDemo);
  // The overview reads the fleet summary, which the summarizeFleets schedule writes (every minute
  // under npm start): run it now, through the emulator-only runSchedule, so the demo opens on it.
  await call('runSchedule', { name: 'summarizeFleets' });
  return { workspaceId, localAgentKey };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { workspaceId } = await seedDemo();
  console.log(`seeded ${DEMO_USER.email} in workspace ${workspaceId}`);
}
