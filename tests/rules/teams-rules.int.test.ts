// firestore.rules for the teams collections (invitations, the audit log, the invitation quota) and the
// audit retention setting, against the Firestore emulator, in the cast of firestore-rules.int.test.ts:
// the owner, an admin and a viewer of ws-a, the owner of ws-b, a removed member and someone signed
// out. What the rules must allow succeeds; the rest comes back PERMISSION_DENIED.
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
  setDoc,
  setLogLevel,
  Timestamp,
  updateDoc,
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
  /** Was a viewer of ws-a: the member document is gone, the users/{uid} mirror still lists it. */
  removed: { uid: 'rita', ws: WS_A, role: 'viewer' },
} as const;
type Who = keyof typeof USERS | 'signedOut';
const EVERYONE: Who[] = ['owner', 'admin', 'viewer', 'outsider', 'removed', 'signedOut'];
const WS_A_MANAGERS: ReadonlySet<Who> = new Set(['owner', 'admin']);

const INVITATION = 'invitation-0001';
const ENTRY = 'entry-0001';
const AT = Timestamp.fromDate(new Date('2026-12-01T00:00:00Z'));

let env: RulesTestEnvironment;

beforeAll(async () => {
  setLogLevel('error');
  env = await rulesTestEnvironment();
});

afterAll(async () => {
  await env?.cleanup();
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    const batch = writeBatch(db);
    const put = (path: string, data: DocumentData) => batch.set(doc(db, path), data);
    for (const [name, user] of Object.entries(USERS)) {
      put(paths.user(user.uid), { email: `${user.uid}@vigil.test`, personalWorkspaceId: user.ws, workspaces: { [user.ws]: user.role } });
      if (name === 'removed') continue;
      put(paths.member(user.ws, user.uid), {
        role: user.role,
        email: `${user.uid}@vigil.test`,
        joinedAt: AT,
        notifications: DEFAULT_NOTIFICATION_PREFERENCES,
      });
    }
    for (const ws of [WS_A, WS_B]) {
      put(paths.workspace(ws), { name: `Workspace ${ws}`, createdAt: AT, createdBy: 'x', settings: DEFAULT_WORKSPACE_SETTINGS, lastDigestAt: AT });
      put(paths.invitation(ws, INVITATION), invitation());
      put(paths.auditEntry(ws, ENTRY), entry());
      put(paths.invitationQuota(ws), { day: '2026-12-01', sent: 3 });
    }
    await batch.commit();
  });
});

function invitation(): DocumentData {
  return {
    email: 'new@vigil.test',
    role: 'viewer',
    invitedBy: { uid: USERS.owner.uid, email: 'alice@vigil.test' },
    createdAt: AT,
    expiresAt: AT,
    state: 'pending',
    tokenHash: 'a'.repeat(64),
    sentAt: AT,
    sends: 1,
  };
}

function entry(): DocumentData {
  return {
    at: AT,
    actor: { type: 'user', uid: USERS.owner.uid, email: 'alice@vigil.test' },
    action: 'member.invited',
    target: { type: 'invitation', id: INVITATION, name: 'new@vigil.test' },
    after: { email: 'new@vigil.test', role: 'viewer' },
    expireAt: AT,
  };
}

function dbAs(who: Who): Firestore {
  const context = who === 'signedOut' ? env.unauthenticatedContext() : env.authenticatedContext(USERS[who].uid);
  return context.firestore() as unknown as Firestore;
}

const expectAccess = (allowed: boolean, request: Promise<unknown>) => (allowed ? assertSucceeds(request) : assertFails(request));

describe('workspaces/{ws}/invitations/{id}', () => {
  it.each(EVERYONE)("%s reads and lists ws-a's invitations only as its owner or admin", async (who) => {
    const db = dbAs(who);
    await expectAccess(WS_A_MANAGERS.has(who), getDoc(doc(db, paths.invitation(WS_A, INVITATION))));
    await expectAccess(WS_A_MANAGERS.has(who), getDocs(collection(db, paths.invitations(WS_A))));
  });

  it.each(EVERYONE)('%s cannot create, change, accept or delete an invitation from a client', async (who) => {
    const db = dbAs(who);
    await assertFails(setDoc(doc(db, paths.invitation(WS_A, 'invitation-0002')), invitation()));
    await assertFails(updateDoc(doc(db, paths.invitation(WS_A, INVITATION)), { role: 'owner' }));
    await assertFails(updateDoc(doc(db, paths.invitation(WS_A, INVITATION)), { state: 'accepted', acceptedBy: USERS.viewer.uid }));
    await assertFails(deleteDoc(doc(db, paths.invitation(WS_A, INVITATION))));
  });

  it("the owner of ws-a cannot read ws-b's invitations", async () => {
    await assertFails(getDoc(doc(dbAs('owner'), paths.invitation(WS_B, INVITATION))));
    await assertSucceeds(getDoc(doc(dbAs('outsider'), paths.invitation(WS_B, INVITATION))));
  });

  it("nobody may make themselves a member: the member document is the functions' (acceptInvitation)", async () => {
    await assertFails(
      setDoc(doc(dbAs('removed'), paths.member(WS_A, USERS.removed.uid)), {
        role: 'viewer',
        email: 'rita@vigil.test',
        joinedAt: AT,
        notifications: DEFAULT_NOTIFICATION_PREFERENCES,
      }),
    );
    await assertFails(updateDoc(doc(dbAs('viewer'), paths.member(WS_A, USERS.viewer.uid)), { role: 'owner' }));
    await assertFails(updateDoc(doc(dbAs('admin'), paths.member(WS_A, USERS.viewer.uid)), { role: 'admin' }));
    await assertFails(deleteDoc(doc(dbAs('owner'), paths.member(WS_A, USERS.viewer.uid))));
  });
});

describe('workspaces/{ws}/audit/{id}', () => {
  it.each(EVERYONE)("%s reads and lists ws-a's audit log only as its owner or admin", async (who) => {
    const db = dbAs(who);
    await expectAccess(WS_A_MANAGERS.has(who), getDoc(doc(db, paths.auditEntry(WS_A, ENTRY))));
    await expectAccess(WS_A_MANAGERS.has(who), getDocs(collection(db, paths.audit(WS_A))));
  });

  it.each(EVERYONE)('%s can never write or delete an audit entry', async (who) => {
    const db = dbAs(who);
    await assertFails(setDoc(doc(db, paths.auditEntry(WS_A, 'entry-0002')), entry()));
    await assertFails(setDoc(doc(db, paths.auditEntry(WS_A, ENTRY)), { ...entry(), actor: { type: 'system' } }));
    await assertFails(updateDoc(doc(db, paths.auditEntry(WS_A, ENTRY)), { expireAt: Timestamp.now() }));
    await assertFails(deleteDoc(doc(db, paths.auditEntry(WS_A, ENTRY))));
  });

  it('no collection-group query reaches the audit log or invitations', async () => {
    await assertFails(getDocs(collectionGroup(dbAs('owner'), 'audit')));
    await assertFails(getDocs(collectionGroup(dbAs('owner'), 'invitations')));
  });
});

describe('workspaces/{ws}/limits/invitations (the daily invitation quota)', () => {
  it.each(EVERYONE)('%s can neither read nor reset it', async (who) => {
    const db = dbAs(who);
    await assertFails(getDoc(doc(db, paths.invitationQuota(WS_A))));
    await assertFails(setDoc(doc(db, paths.invitationQuota(WS_A)), { day: '2026-12-01', sent: 0 }));
    await assertFails(deleteDoc(doc(db, paths.invitationQuota(WS_A))));
  });
});

describe('settings.auditRetentionDays', () => {
  it.each(EVERYONE)('%s sets it only as an owner or admin of ws-a', async (who) => {
    await expectAccess(WS_A_MANAGERS.has(who), updateDoc(doc(dbAs(who), paths.workspace(WS_A)), { 'settings.auditRetentionDays': 400 }));
  });

  it.each([30, 365, 3650])('the owner may set %i days', async (days) => {
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.auditRetentionDays': days }));
  });

  it.each<[string, unknown]>([
    ['29 days', 29],
    ['3651 days', 3651],
    ['a fraction', 90.5],
    ['a string', '365'],
    ['null', null],
  ])('nobody may set %s, not even the owner', async (_label, value) => {
    await assertFails(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.auditRetentionDays': value }));
  });

  it('settings without it stay valid (older workspaces), and it is the only optional setting', async () => {
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { settings: { ...DEFAULT_WORKSPACE_SETTINGS } }));
    await assertFails(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.reportRetentionDays': 400 }));
  });
});

describe('settings.keyRotationDays (automatic key rotation)', () => {
  it.each(EVERYONE)('%s sets it only as an owner or admin of ws-a', async (who) => {
    await expectAccess(WS_A_MANAGERS.has(who), updateDoc(doc(dbAs(who), paths.workspace(WS_A)), { 'settings.keyRotationDays': 30 }));
  });

  it.each([7, 30, 365])('the owner may set %i days', async (days) => {
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.keyRotationDays': days }));
  });

  it('the owner may turn it off with null, or by removing it', async () => {
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.keyRotationDays': 30 }));
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.keyRotationDays': null }));
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { settings: { ...DEFAULT_WORKSPACE_SETTINGS } }));
  });

  it.each<[string, unknown]>([
    ['6 days', 6],
    ['366 days', 366],
    ['0', 0],
    ['a fraction', 30.5],
    ['a string', '30'],
    ['a map', { days: 30 }],
  ])('nobody may set %s, not even the owner', async (_label, value) => {
    await assertFails(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), { 'settings.keyRotationDays': value }));
  });
});
