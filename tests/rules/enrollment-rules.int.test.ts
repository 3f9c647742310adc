// firestore.rules for enrollment (docs/architecture.md, "Enrollment"): the tokens' metadata
// (workspaces/{ws}/enrollmentTokens), the hashes of their secrets (enrollmentSecrets) and labels on
// agents, against the Firestore emulator, in the cast of teams-rules.int.test.ts: the owner, an
// admin and a viewer of ws-a, the owner of ws-b and someone signed out. What the rules must allow
// succeeds; the rest comes back PERMISSION_DENIED.
import { assertFails, assertSucceeds, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { rulesTestEnvironment } from '../support/rules-env.js';
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, paths } from '@vigil/schema';
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  setLogLevel,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
  type DocumentData,
  type Firestore,
} from 'firebase/firestore';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';

const WS_A = 'ws-a';
const WS_B = 'ws-b';
const USERS = {
  owner: { uid: 'alice', ws: WS_A, role: 'owner' },
  admin: { uid: 'adam', ws: WS_A, role: 'admin' },
  viewer: { uid: 'vera', ws: WS_A, role: 'viewer' },
  outsider: { uid: 'bob', ws: WS_B, role: 'owner' },
} as const;
type Who = keyof typeof USERS | 'signedOut';
const EVERYONE: Who[] = ['owner', 'admin', 'viewer', 'outsider', 'signedOut'];
const WS_A_MEMBERS: ReadonlySet<Who> = new Set(['owner', 'admin', 'viewer']);
const WS_A_MANAGERS: ReadonlySet<Who> = new Set(['owner', 'admin']);

const TOKEN = 'abcdefghijklmnop';
const AGENT = 'agent-0001';
const AT = Timestamp.fromDate(new Date('2026-12-01T00:00:00Z'));

let env: RulesTestEnvironment;

beforeAll(async () => {
  setLogLevel('error');
  env = await rulesTestEnvironment();
});

afterAll(async () => {
  await env?.cleanup();
});

function tokenMetadata(): DocumentData {
  return {
    name: 'web fleet',
    createdBy: { uid: USERS.owner.uid, email: 'alice@vigil.test' },
    createdAt: AT,
    expiresAt: AT,
    maxUses: 10,
    uses: 1,
    labels: { env: 'prod' },
    revokedAt: null,
    revokedBy: null,
    lastUsedAt: null,
  };
}

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    const batch = writeBatch(db);
    const put = (path: string, data: DocumentData) => batch.set(doc(db, path), data);
    for (const user of Object.values(USERS)) {
      put(paths.user(user.uid), { email: `${user.uid}@vigil.test`, personalWorkspaceId: user.ws, workspaces: { [user.ws]: user.role } });
      put(paths.member(user.ws, user.uid), {
        role: user.role,
        email: `${user.uid}@vigil.test`,
        joinedAt: AT,
        notifications: DEFAULT_NOTIFICATION_PREFERENCES,
      });
    }
    for (const ws of [WS_A, WS_B]) {
      put(paths.workspace(ws), { name: `Workspace ${ws}`, createdAt: AT, createdBy: 'x', settings: DEFAULT_WORKSPACE_SETTINGS, lastDigestAt: AT });
      put(paths.enrollmentToken(ws, TOKEN), tokenMetadata());
      put(paths.agent(ws, AGENT), { name: 'web-1', status: 'never-seen', labels: { env: 'prod' }, machineIdHash: 'a'.repeat(64) });
    }
    put(paths.enrollmentSecret(TOKEN), { workspaceId: WS_A, hash: 'b'.repeat(64), createdAt: AT });
    await batch.commit();
  });
});

function dbAs(who: Who): Firestore {
  const context = who === 'signedOut' ? env.unauthenticatedContext() : env.authenticatedContext(USERS[who].uid);
  return context.firestore() as unknown as Firestore;
}

const expectAccess = (allowed: boolean, request: Promise<unknown>) => (allowed ? assertSucceeds(request) : assertFails(request));

describe('workspaces/{ws}/enrollmentTokens/{tokenId}', () => {
  it.each(EVERYONE)("%s reads and lists ws-a's enrollment tokens only as its owner or admin", async (who) => {
    const db = dbAs(who);
    await expectAccess(WS_A_MANAGERS.has(who), getDoc(doc(db, paths.enrollmentToken(WS_A, TOKEN))));
    await expectAccess(WS_A_MANAGERS.has(who), getDocs(collection(db, paths.enrollmentTokens(WS_A))));
  });

  it.each(EVERYONE)('%s cannot make, extend, un-revoke, reset or delete a token from a client', async (who) => {
    const db = dbAs(who);
    await assertFails(setDoc(doc(db, paths.enrollmentToken(WS_A, 'qrstuvwxyz234567')), tokenMetadata()));
    await assertFails(updateDoc(doc(db, paths.enrollmentToken(WS_A, TOKEN)), { expiresAt: Timestamp.fromDate(new Date('2030-01-01T00:00:00Z')) }));
    await assertFails(updateDoc(doc(db, paths.enrollmentToken(WS_A, TOKEN)), { uses: 0, maxUses: null }));
    await assertFails(updateDoc(doc(db, paths.enrollmentToken(WS_A, TOKEN)), { revokedAt: null }));
    await assertFails(deleteDoc(doc(db, paths.enrollmentToken(WS_A, TOKEN))));
  });

  it("the owner of ws-a cannot read ws-b's tokens, and no collection-group query reaches any", async () => {
    await assertFails(getDoc(doc(dbAs('owner'), paths.enrollmentToken(WS_B, TOKEN))));
    await assertSucceeds(getDoc(doc(dbAs('outsider'), paths.enrollmentToken(WS_B, TOKEN))));
    await assertFails(getDocs(collectionGroup(dbAs('owner'), 'enrollmentTokens')));
  });
});

describe('enrollmentSecrets/{tokenId}', () => {
  it.each(EVERYONE)('%s can neither read, list, write nor delete a hash', async (who) => {
    const db = dbAs(who);
    await assertFails(getDoc(doc(db, paths.enrollmentSecret(TOKEN))));
    await assertFails(getDocs(collection(db, 'enrollmentSecrets')));
    await assertFails(setDoc(doc(db, paths.enrollmentSecret('qrstuvwxyz234567')), { workspaceId: WS_A, hash: 'c'.repeat(64), createdAt: AT }));
    await assertFails(updateDoc(doc(db, paths.enrollmentSecret(TOKEN)), { hash: 'c'.repeat(64) }));
    await assertFails(deleteDoc(doc(db, paths.enrollmentSecret(TOKEN))));
  });
});

describe('labels on agents', () => {
  it.each(EVERYONE)('%s reads labels and filters by one only as a member of ws-a', async (who) => {
    const db = dbAs(who);
    await expectAccess(WS_A_MEMBERS.has(who), getDoc(doc(db, paths.agent(WS_A, AGENT))));
    await expectAccess(WS_A_MEMBERS.has(who), getDocs(query(collection(db, paths.agents(WS_A)), where('labels.env', '==', 'prod'))));
  });

  it.each(EVERYONE)('%s cannot change labels or the machine id on the agent document (setAgentLabels does)', async (who) => {
    const db = dbAs(who);
    await assertFails(updateDoc(doc(db, paths.agent(WS_A, AGENT)), { labels: { env: 'dev' } }));
    await assertFails(updateDoc(doc(db, paths.agent(WS_A, AGENT)), { 'labels.team': 'ops' }));
    await assertFails(updateDoc(doc(db, paths.agent(WS_A, AGENT)), { machineIdHash: 'c'.repeat(64) }));
  });
});
