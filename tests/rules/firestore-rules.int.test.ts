// firestore.rules against the Firestore emulator. For every collection and every kind of caller (the
// owner, an admin and a viewer of ws-a, the owner of another workspace, someone signed out) the
// requests the rules must allow succeed and the rest come back PERMISSION_DENIED.
import { assertFails, assertSucceeds, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { rulesTestEnvironment } from '../support/rules-env.js';
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, EVENT_KINDS, paths } from '@vigil/schema';
import {
  collection,
  collectionGroup,
  deleteDoc,
  deleteField,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  serverTimestamp,
  setLogLevel,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
  type DocumentData,
  type Firestore,
} from 'firebase/firestore';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';

// ---- The cast ------------------------------------------------------------------------------------

const WS_A = 'ws-a';
const WS_B = 'ws-b';

const USERS = {
  owner: { uid: 'alice', ws: WS_A, role: 'owner' },
  admin: { uid: 'adam', ws: WS_A, role: 'admin' },
  viewer: { uid: 'vera', ws: WS_A, role: 'viewer' },
  /** Owns ws-b and has nothing to do with ws-a. */
  outsider: { uid: 'bob', ws: WS_B, role: 'owner' },
} as const;
type SignedIn = keyof typeof USERS;
type Who = SignedIn | 'signedOut';

const SIGNED_IN: SignedIn[] = ['owner', 'admin', 'viewer', 'outsider'];
const EVERYONE: Who[] = [...SIGNED_IN, 'signedOut'];
const WS_A_MEMBERS: ReadonlySet<Who> = new Set(['owner', 'admin', 'viewer']);
const WS_A_MANAGERS: ReadonlySet<Who> = new Set(['owner', 'admin']);

const AGENT = 'agent-0001';
const REPORT = 'report-0001';
const EVENT = 'event-0001';
const KEY_ID = 'key0001';
const AT = Timestamp.fromDate(new Date('2025-01-01T00:00:00Z'));

// ---- The environment -----------------------------------------------------------------------------

let env: RulesTestEnvironment;

beforeAll(async () => {
  // Denied requests are the point of half these tests: keep the SDK from logging each one.
  setLogLevel('error');
  env = await rulesTestEnvironment();
});

afterAll(async () => {
  await env?.cleanup();
});

beforeEach(async () => {
  await env.clearFirestore();
  await seed();
});

/** A client signed in as `who` (or signed out), with the rules in force. */
function dbAs(who: Who): Firestore {
  const context = who === 'signedOut' ? env.unauthenticatedContext() : env.authenticatedContext(USERS[who].uid);
  // The context hands out the compat instance; the modular functions accept it.
  return context.firestore() as unknown as Firestore;
}

/** A signed-in user with no profile and no membership anywhere (a first sign-in). */
function newcomerDb(): Firestore {
  return env.authenticatedContext('mallory').firestore() as unknown as Firestore;
}

function expectAccess(allowed: boolean, request: Promise<unknown>) {
  return allowed ? assertSucceeds(request) : assertFails(request);
}

/** Some uid other than `who`'s own (signed out: anyone's). */
function someoneElse(who: Who): string {
  return who === 'owner' ? USERS.viewer.uid : USERS.owner.uid;
}

function ownUid(who: Who): string {
  return who === 'signedOut' ? USERS.owner.uid : USERS[who].uid;
}

// ---- The data, written with the rules off --------------------------------------------------------

async function seed() {
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    const batch = writeBatch(db);
    const put = (path: string, data: DocumentData) => batch.set(doc(db, path), data);

    for (const user of Object.values(USERS)) {
      put(paths.user(user.uid), {
        email: `${user.uid}@vigil.test`,
        personalWorkspaceId: user.ws,
        workspaces: { [user.ws]: user.role },
      });
      put(paths.member(user.ws, user.uid), {
        role: user.role,
        email: `${user.uid}@vigil.test`,
        joinedAt: AT,
        notifications: DEFAULT_NOTIFICATION_PREFERENCES,
      });
    }
    for (const [ws, createdBy] of [
      [WS_A, USERS.owner.uid],
      [WS_B, USERS.outsider.uid],
    ] as const) {
      put(paths.workspace(ws), { name: `Workspace ${ws}`, createdAt: AT, createdBy, settings: DEFAULT_WORKSPACE_SETTINGS, lastDigestAt: AT });
      put(paths.agent(ws, AGENT), {
        name: 'web-1',
        description: '',
        status: 'online',
        createdAt: AT,
        createdBy,
        intervalSeconds: 300,
        keyId: KEY_ID,
        keyPrefix: `vgl_${KEY_ID}`,
        revokedAt: null,
        lastSeenAt: AT,
        lastReportId: REPORT,
        agentVersion: '0.1.0',
        host: null,
        summary: { solutions: ['clamav'], testsPassed: 1, testsFailed: 0 },
      });
      put(paths.agentState(ws, AGENT), { reportId: REPORT, collectedAt: '2025-01-01T00:00:00Z', updatedAt: AT, solutions: {} });
      // Under `npm test` the Functions emulator runs its triggers on these writes too. This report
      // is deliberately not a full one, so onReportCreated derives no events from it, and the event
      // was already emailed, so sendEventEmail mails nobody.
      put(paths.report(ws, AGENT, REPORT), { reportId: REPORT, agentVersion: '0.1.0', collectedAt: '2025-01-01T00:00:00Z', solutions: [] });
      put(paths.fleetSummary(ws), {
        computedAt: AT,
        counts: {
          agents: 1,
          online: 1,
          offline: 0,
          neverSeen: 0,
          revoked: 0,
          failing: 0,
          solutionsInstalled: 1,
          solutionKinds: 1,
          testsPassed: 1,
          testsFailed: 0,
        },
        hours: [{ hour: '2025-01-01T00:00:00.000Z', passed: 1, failed: 0 }],
        attention: [],
      });
      put(paths.event(ws, EVENT), {
        kind: 'test_failed',
        agentId: AGENT,
        agentName: 'web-1',
        hostname: 'web-1',
        solutionIds: ['clamav'],
        reportId: REPORT,
        createdAt: AT,
        details: {},
        acknowledgedAt: null,
        acknowledgedBy: null,
        email: { state: 'sent', at: AT, error: null, recipients: 3 },
      });
    }
    // An agent only ws-b has: a check mark in ws-a under its id must be refused.
    put(paths.agent(WS_B, 'agent-of-b-only'), { name: 'b-only', createdBy: USERS.outsider.uid });
    // Nothing is stored below a report, the state or beside the agent's known collections; if
    // something ever were, it would not be readable by default.
    put(`${paths.agent(WS_A, AGENT)}/unplanned/doc-1`, { any: 'thing' });
    put(`${paths.report(WS_A, AGENT, REPORT)}/extra/doc-1`, { any: 'thing' });
    put(`${paths.agentState(WS_A, AGENT)}/extra/doc-1`, { any: 'thing' });
    put(paths.testAck(WS_A, AGENT, 'clamav', 'seeded-test'), {
      solutionId: 'clamav',
      testId: 'seeded-test',
      acknowledgedBy: USERS.owner.uid,
      acknowledgedAt: AT,
      failingSince: '2026-11-27T10:00:00Z',
    });
    put(paths.agentKey(KEY_ID), { workspaceId: WS_A, agentId: AGENT, hash: 'a'.repeat(64), createdAt: AT, revokedAt: null });
    put(paths.fleetSummaryCursor(), { cursor: AT });
    // Places no rule mentions.
    put(`${paths.workspace(WS_A)}/unplanned/doc-1`, { any: 'thing' });
    put('misc/doc-1', { any: 'thing' });
    await batch.commit();
  });
}

// ---- users/{uid} ---------------------------------------------------------------------------------

describe('users/{uid}', () => {
  it.each(SIGNED_IN)('%s reads their own profile', async (who) => {
    await assertSucceeds(getDoc(doc(dbAs(who), paths.user(USERS[who].uid))));
  });

  it.each(EVERYONE)("%s cannot read someone else's profile", async (who) => {
    await assertFails(getDoc(doc(dbAs(who), paths.user(someoneElse(who)))));
  });

  it.each(EVERYONE)('%s cannot list profiles', async (who) => {
    await assertFails(getDocs(collection(dbAs(who), 'users')));
  });

  it.each(EVERYONE)('%s cannot write their own profile (update, overwrite, delete)', async (who) => {
    const db = dbAs(who);
    const own = doc(db, paths.user(ownUid(who)));
    // Granting oneself a workspace through the mirror must not work.
    await assertFails(updateDoc(own, { [`workspaces.${WS_B}`]: 'owner' }));
    await assertFails(setDoc(own, { email: 'x@vigil.test', personalWorkspaceId: WS_B, workspaces: { [WS_B]: 'owner' } }));
    await assertFails(deleteDoc(own));
  });

  it('a newcomer cannot create their own profile', async () => {
    await assertFails(setDoc(doc(newcomerDb(), paths.user('mallory')), { email: null, personalWorkspaceId: 'ws-m', workspaces: {} }));
  });
});

// ---- workspaces/{ws} -----------------------------------------------------------------------------

describe('workspaces/{ws}', () => {
  it.each(EVERYONE)('%s reads ws-a only as a member of it', async (who) => {
    await expectAccess(WS_A_MEMBERS.has(who), getDoc(doc(dbAs(who), paths.workspace(WS_A))));
  });

  it('the owner of ws-b reads ws-b, the owner of ws-a does not', async () => {
    await assertSucceeds(getDoc(doc(dbAs('outsider'), paths.workspace(WS_B))));
    await assertFails(getDoc(doc(dbAs('owner'), paths.workspace(WS_B))));
  });

  it.each(EVERYONE)('%s cannot list workspaces (users/{uid}.workspaces says which to read)', async (who) => {
    await assertFails(getDocs(collection(dbAs(who), paths.workspaces())));
  });

  it.each(EVERYONE)('%s renames ws-a only as its owner or admin', async (who) => {
    await expectAccess(WS_A_MANAGERS.has(who), updateDoc(doc(dbAs(who), paths.workspace(WS_A)), { name: 'Renamed' }));
  });

  it.each(EVERYONE)("%s changes ws-a's settings only as its owner or admin", async (who) => {
    const settings = { retentionDays: 90, reportingIntervalSeconds: 600, failedTestThreshold: 3 };
    await expectAccess(WS_A_MANAGERS.has(who), updateDoc(doc(dbAs(who), paths.workspace(WS_A)), { settings }));
  });

  it('the owner of ws-b manages ws-b, the owner of ws-a does not', async () => {
    await assertSucceeds(updateDoc(doc(dbAs('outsider'), paths.workspace(WS_B)), { name: 'Bob renamed' }));
    await assertFails(updateDoc(doc(dbAs('owner'), paths.workspace(WS_B)), { name: 'Taken over' }));
  });

  it.each<[string, DocumentData]>([
    ['a name of 100 characters', { name: 'n'.repeat(100) }],
    ['a name of 1 character', { name: 'n' }],
    ['name and settings at once', { name: 'Both', 'settings.retentionDays': 7 }],
    ['retentionDays 1', { 'settings.retentionDays': 1 }],
    ['retentionDays 365', { 'settings.retentionDays': 365 }],
    ['reportingIntervalSeconds 60', { 'settings.reportingIntervalSeconds': 60 }],
    ['reportingIntervalSeconds 86400', { 'settings.reportingIntervalSeconds': 86_400 }],
    ['failedTestThreshold 1', { 'settings.failedTestThreshold': 1 }],
    ['failedTestThreshold 100', { 'settings.failedTestThreshold': 100 }],
  ])('the owner may set %s', async (_label, patch) => {
    await assertSucceeds(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), patch));
  });

  // Made by the owner, who may update the workspace: only the content is wrong.
  it.each<[string, DocumentData]>([
    ['an empty name', { name: '' }],
    ['a name of 101 characters', { name: 'n'.repeat(101) }],
    ['a name that is not a string', { name: 42 }],
    ['no name at all', { name: deleteField() }],
    ['retentionDays 0', { 'settings.retentionDays': 0 }],
    ['retentionDays 366', { 'settings.retentionDays': 366 }],
    ['retentionDays 1.5', { 'settings.retentionDays': 1.5 }],
    ['retentionDays as a string', { 'settings.retentionDays': '30' }],
    ['reportingIntervalSeconds 59', { 'settings.reportingIntervalSeconds': 59 }],
    ['reportingIntervalSeconds 86401', { 'settings.reportingIntervalSeconds': 86_401 }],
    ['failedTestThreshold 0', { 'settings.failedTestThreshold': 0 }],
    ['failedTestThreshold 101', { 'settings.failedTestThreshold': 101 }],
    ['an extra settings key', { 'settings.alertEmail': 'x@vigil.test' }],
    ['a missing settings key', { settings: { retentionDays: 30, reportingIntervalSeconds: 300 } }],
    ['settings that are not a map', { settings: 'defaults' }],
    ['settings null', { settings: null }],
    ['a new createdBy', { createdBy: USERS.admin.uid }],
    ['no createdBy', { createdBy: deleteField() }],
    ['a new createdAt', { createdAt: Timestamp.now() }],
    ['a new top-level field', { plan: 'enterprise' }],
    ['a valid name with a new createdBy', { name: 'Mine now', createdBy: USERS.viewer.uid }],
    // The digest period is claimed on lastDigestAt: moving it would skip or repeat digests.
    ['lastDigestAt moved forward', { lastDigestAt: Timestamp.fromDate(new Date('2099-01-01T00:00:00Z')) }],
    ['lastDigestAt moved back', { lastDigestAt: Timestamp.fromDate(new Date('2000-01-01T00:00:00Z')) }],
    ['lastDigestAt set to the server time', { lastDigestAt: serverTimestamp() }],
    ['lastDigestAt removed', { lastDigestAt: deleteField() }],
    ['a valid name with a new lastDigestAt', { name: 'Renamed', lastDigestAt: Timestamp.now() }],
    // The operator's per-workspace agent cap (MAX_AGENTS_PER_WORKSPACE override).
    ['a maxAgents override', { maxAgents: 100_000 }],
    // The operator's per-workspace hourly email cap (MAX_EMAILS_PER_HOUR override): a sign-up that
    // could raise its own would undo the cap on abuse.
    ['a maxEmailsPerHour override', { maxEmailsPerHour: 100_000 }],
    // The retention sweep's mark of a lowered retention (onWorkspaceWritten): clearing it would keep
    // data longer than the workspace's retention.
    ['a retentionCutoffPending mark', { retentionCutoffPending: Timestamp.now() }],
  ])('nobody may set %s, not even the owner', async (_label, patch) => {
    await assertFails(updateDoc(doc(dbAs('owner'), paths.workspace(WS_A)), patch));
  });

  it('an owner cannot overwrite the workspace with a different lastDigestAt', async () => {
    await assertFails(
      setDoc(doc(dbAs('owner'), paths.workspace(WS_A)), {
        name: `Workspace ${WS_A}`,
        createdAt: AT,
        createdBy: USERS.owner.uid,
        settings: DEFAULT_WORKSPACE_SETTINGS,
        lastDigestAt: Timestamp.now(),
      }),
    );
  });

  it('an admin is held to the same validation', async () => {
    await assertFails(updateDoc(doc(dbAs('admin'), paths.workspace(WS_A)), { 'settings.retentionDays': 0 }));
  });

  it.each(EVERYONE)('%s cannot create or delete a workspace', async (who) => {
    const db = dbAs(who);
    await assertFails(
      setDoc(doc(db, paths.workspace('ws-new')), {
        name: 'New',
        createdAt: AT,
        createdBy: ownUid(who),
        settings: DEFAULT_WORKSPACE_SETTINGS,
      }),
    );
    await assertFails(deleteDoc(doc(db, paths.workspace(WS_A))));
  });

  it('a newcomer cannot create a workspace', async () => {
    await assertFails(
      setDoc(doc(newcomerDb(), paths.workspace('ws-m')), {
        name: 'Mine',
        createdAt: AT,
        createdBy: 'mallory',
        settings: DEFAULT_WORKSPACE_SETTINGS,
      }),
    );
  });
});

// ---- workspaces/{ws}/members/{uid} ---------------------------------------------------------------

describe('workspaces/{ws}/members/{uid}', () => {
  const CHANGED = { ...DEFAULT_NOTIFICATION_PREFERENCES, test_failed: 'digest', agent_online: 'off' };

  it.each(EVERYONE)('%s reads member documents of ws-a only as a member', async (who) => {
    const db = dbAs(who);
    const allowed = WS_A_MEMBERS.has(who);
    await expectAccess(allowed, getDoc(doc(db, paths.member(WS_A, USERS.owner.uid))));
    await expectAccess(allowed, getDoc(doc(db, paths.member(WS_A, USERS.viewer.uid))));
  });

  it.each(EVERYONE)('%s lists the members of ws-a only as a member', async (who) => {
    await expectAccess(WS_A_MEMBERS.has(who), getDocs(collection(dbAs(who), paths.members(WS_A))));
  });

  it('the owner of ws-b lists ws-b members, the owner of ws-a does not', async () => {
    await assertSucceeds(getDocs(collection(dbAs('outsider'), paths.members(WS_B))));
    await assertFails(getDocs(collection(dbAs('owner'), paths.members(WS_B))));
  });

  it.each(SIGNED_IN)('%s changes their own notification choices (a viewer too)', async (who) => {
    const { uid, ws } = USERS[who];
    await assertSucceeds(updateDoc(doc(dbAs(who), paths.member(ws, uid)), { notifications: CHANGED }));
  });

  it.each<[string, DocumentData]>([
    ['one kind by field path', { 'notifications.agent_online': 'off' }],
    ['every choice', { notifications: { ...CHANGED, config_changed: 'instant', solution_added: 'digest', solution_removed: 'off' } }],
  ])('a viewer may set %s', async (_label, patch) => {
    await assertSucceeds(updateDoc(doc(dbAs('viewer'), paths.member(WS_A, USERS.viewer.uid)), patch));
  });

  // Made by the viewer on their own member document, which they may update: only the content is wrong.
  it.each<[string, DocumentData]>([
    ['a partial map (a missing kind would silently mean "off")', { notifications: { test_failed: 'off' } }],
    ['an unknown choice', { 'notifications.test_failed': 'sometimes' }],
    ['a choice that is not a string', { 'notifications.test_failed': true }],
    ['a null choice', { 'notifications.agent_offline': null }],
    ['an unknown event kind', { 'notifications.agent_exploded': 'instant' }],
    ['an unknown kind beside valid ones', { notifications: { ...CHANGED, disk_full: 'off' } }],
    ['notifications that are not a map', { notifications: 'off' }],
    ['no notifications at all', { notifications: deleteField() }],
    ['their own role (viewer to owner)', { role: 'owner' }],
    ['their own role and valid notifications together', { role: 'admin', notifications: CHANGED }],
    ['their own email', { email: 'other@vigil.test' }],
    ['their own joinedAt', { joinedAt: Timestamp.now() }],
    ['a new field', { muted: true }],
  ])('a member may not set %s', async (_label, patch) => {
    await assertFails(updateDoc(doc(dbAs('viewer'), paths.member(WS_A, USERS.viewer.uid)), patch));
  });

  // The rules check each kind by name, so each kind gets its own bad value.
  it.each(EVENT_KINDS)('a member may not set an unknown choice for %s', async (kind) => {
    const own = doc(dbAs('viewer'), paths.member(WS_A, USERS.viewer.uid));
    await assertFails(updateDoc(own, { [`notifications.${kind}`]: 'always' }));
    await assertFails(updateDoc(own, { notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES, [kind]: 0 } }));
  });

  it('an owner cannot change their own role either', async () => {
    await assertFails(updateDoc(doc(dbAs('owner'), paths.member(WS_A, USERS.owner.uid)), { role: 'viewer' }));
  });

  it.each(EVERYONE)("%s cannot change another member's notifications or role", async (who) => {
    const db = dbAs(who);
    const other = doc(db, paths.member(WS_A, someoneElse(who)));
    await assertFails(updateDoc(other, { notifications: CHANGED }));
    await assertFails(updateDoc(other, { 'notifications.test_failed': 'off' }));
    await assertFails(updateDoc(other, { role: 'admin' }));
  });

  it('an admin cannot promote a viewer, nor an owner demote an admin', async () => {
    await assertFails(updateDoc(doc(dbAs('admin'), paths.member(WS_A, USERS.viewer.uid)), { role: 'admin' }));
    await assertFails(updateDoc(doc(dbAs('owner'), paths.member(WS_A, USERS.admin.uid)), { role: 'viewer' }));
  });

  it.each(EVERYONE)('%s cannot add or remove members of ws-a', async (who) => {
    const db = dbAs(who);
    const member = { role: 'viewer', email: 'new@vigil.test', joinedAt: AT, notifications: DEFAULT_NOTIFICATION_PREFERENCES };
    await assertFails(setDoc(doc(db, paths.member(WS_A, 'newcomer')), member));
    await assertFails(deleteDoc(doc(db, paths.member(WS_A, USERS.viewer.uid))));
    await assertFails(deleteDoc(doc(db, paths.member(WS_A, ownUid(who)))));
  });

  it('nobody can join a workspace by writing their own member document', async () => {
    const member = (role: string) => ({ role, email: null, joinedAt: AT, notifications: DEFAULT_NOTIFICATION_PREFERENCES });
    await assertFails(setDoc(doc(dbAs('outsider'), paths.member(WS_A, USERS.outsider.uid)), member('owner')));
    await assertFails(setDoc(doc(dbAs('outsider'), paths.member(WS_A, USERS.outsider.uid)), member('viewer')));
    await assertFails(setDoc(doc(newcomerDb(), paths.member(WS_A, 'mallory')), member('viewer')));
  });
});

// ---- agents, their state and reports, events: read by members, written by functions only ---------

const READ_ONLY = [
  {
    name: 'workspaces/{ws}/agents/{agentId}',
    doc: (ws: string) => paths.agent(ws, AGENT),
    list: (ws: string) => paths.agents(ws),
    patch: { name: 'renamed', revokedAt: null, keyId: null } as DocumentData,
  },
  {
    name: 'workspaces/{ws}/agents/{agentId}/state/current',
    doc: (ws: string) => paths.agentState(ws, AGENT),
    list: (ws: string) => `${paths.agent(ws, AGENT)}/state`,
    patch: { reportId: 'report-forged', solutions: {} } as DocumentData,
  },
  {
    name: 'workspaces/{ws}/agents/{agentId}/reports/{reportId}',
    doc: (ws: string) => paths.report(ws, AGENT, REPORT),
    list: (ws: string) => paths.reports(ws, AGENT),
    patch: { solutions: [{ id: 'clamav' }] } as DocumentData,
  },
  {
    name: 'workspaces/{ws}/summary/fleet',
    doc: (ws: string) => paths.fleetSummary(ws),
    list: (ws: string) => `${paths.workspace(ws)}/summary`,
    patch: { counts: { agents: 0 }, attention: [] } as DocumentData,
  },
  {
    name: 'workspaces/{ws}/events/{eventId}',
    doc: (ws: string) => paths.event(ws, EVENT),
    list: (ws: string) => paths.events(ws),
    patch: { acknowledgedAt: AT, acknowledgedBy: USERS.viewer.uid } as DocumentData,
  },
];

describe.each(READ_ONLY.map((collection) => [collection.name, collection] as const))('%s', (_name, { doc: docPath, list, patch }) => {
  it.each(EVERYONE)('%s reads the ws-a document only as a member', async (who) => {
    await expectAccess(WS_A_MEMBERS.has(who), getDoc(doc(dbAs(who), docPath(WS_A))));
  });

  it.each(EVERYONE)('%s lists the ws-a collection only as a member', async (who) => {
    await expectAccess(WS_A_MEMBERS.has(who), getDocs(collection(dbAs(who), list(WS_A))));
  });

  it("the owner of ws-b reads and lists ws-b's, the owner of ws-a does not", async () => {
    await assertSucceeds(getDoc(doc(dbAs('outsider'), docPath(WS_B))));
    await assertSucceeds(getDocs(collection(dbAs('outsider'), list(WS_B))));
    await assertFails(getDoc(doc(dbAs('owner'), docPath(WS_B))));
    await assertFails(getDocs(collection(dbAs('owner'), list(WS_B))));
  });

  it.each(EVERYONE)('%s cannot create, update, overwrite or delete one', async (who) => {
    const db = dbAs(who);
    await assertFails(setDoc(doc(collection(db, list(WS_A)), 'forged-0001'), patch));
    await assertFails(updateDoc(doc(db, docPath(WS_A)), patch));
    await assertFails(setDoc(doc(db, docPath(WS_A)), patch));
    await assertFails(deleteDoc(doc(db, docPath(WS_A))));
  });
});

// ---- acknowledgements: owners and admins sign them; nobody else writes -----------------------------

describe('acknowledging events and failing tests', () => {
  const ack = (who: SignedIn, overrides: DocumentData = {}) => ({
    solutionId: 'clamav',
    testId: 'eicar-detected',
    acknowledgedBy: USERS[who].uid,
    acknowledgedAt: serverTimestamp(),
    failingSince: '2026-11-27T10:00:00Z',
    ...overrides,
  });
  const ackPath = (ws: string) => paths.testAck(ws, AGENT, 'clamav', 'eicar-detected');
  /** Seeded: the owner checked clamav/seeded-test for the streak failing since 2026-11-27T10:00:00Z. */
  const SEEDED_ACK = paths.testAck(WS_A, AGENT, 'clamav', 'seeded-test');
  const seededAck = (who: SignedIn, overrides: DocumentData = {}) => ack(who, { testId: 'seeded-test', ...overrides });

  it.each(EVERYONE)('%s acknowledges a ws-a event only as an owner or admin, signed as themselves', async (who) => {
    const patch = { acknowledgedAt: serverTimestamp(), acknowledgedBy: ownUid(who) };
    await expectAccess(WS_A_MANAGERS.has(who), updateDoc(doc(dbAs(who), paths.event(WS_A, EVENT)), patch));
  });

  it('an acknowledgement cannot be signed by someone else, backdated, or carry other changes', async () => {
    const event = doc(dbAs('admin'), paths.event(WS_A, EVENT));
    await assertFails(updateDoc(event, { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.owner.uid }));
    await assertFails(updateDoc(event, { acknowledgedAt: AT, acknowledgedBy: USERS.admin.uid }));
    await assertFails(updateDoc(event, { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.admin.uid, kind: 'agent_online' }));
    await assertFails(updateDoc(event, { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.admin.uid, 'email.state': 'pending' }));
  });

  it('an acknowledged event stays acknowledged by whoever did it first: no manager rewrites who or when', async () => {
    await assertSucceeds(
      updateDoc(doc(dbAs('owner'), paths.event(WS_A, EVENT)), { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.owner.uid }),
    );
    await assertFails(
      updateDoc(doc(dbAs('admin'), paths.event(WS_A, EVENT)), { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.admin.uid }),
    );
    await assertFails(
      updateDoc(doc(dbAs('owner'), paths.event(WS_A, EVENT)), { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.owner.uid }),
    );
    await assertFails(updateDoc(doc(dbAs('admin'), paths.event(WS_A, EVENT)), { acknowledgedAt: null, acknowledgedBy: null }));
    let stored: DocumentData | undefined;
    await env.withSecurityRulesDisabled(async (context) => {
      stored = (await getDoc(doc(context.firestore() as unknown as Firestore, paths.event(WS_A, EVENT)))).data();
    });
    if (stored?.acknowledgedBy !== USERS.owner.uid) throw new Error(`acknowledgedBy was rewritten to ${String(stored?.acknowledgedBy)}`);
  });

  it.each(EVERYONE)('%s marks a failing ws-a test as checked only as an owner or admin', async (who) => {
    const data = who === 'signedOut' ? ack('owner') : ack(who);
    await expectAccess(WS_A_MANAGERS.has(who), setDoc(doc(dbAs(who), ackPath(WS_A)), data));
  });

  it('a check mark must name its test in its id, be signed by the caller and timed by the server', async () => {
    const db = dbAs('owner');
    await assertFails(setDoc(doc(db, paths.testAck(WS_A, AGENT, 'clamav', 'other-test')), ack('owner')));
    await assertFails(setDoc(doc(db, ackPath(WS_A)), ack('owner', { acknowledgedBy: USERS.admin.uid })));
    await assertFails(setDoc(doc(db, ackPath(WS_A)), ack('owner', { acknowledgedAt: AT })));
    await assertFails(setDoc(doc(db, ackPath(WS_A)), ack('owner', { note: 'extra field' })));
    await assertFails(setDoc(doc(db, ackPath(WS_A)), ack('owner', { failingSince: 42 })));
    await assertFails(setDoc(doc(dbAs('outsider'), ackPath(WS_A)), ack('outsider')));
    await assertSucceeds(setDoc(doc(dbAs('outsider'), ackPath(WS_B)), ack('outsider')));
  });

  it('owners and admins may remove a check mark; viewers may only read it', async () => {
    await assertSucceeds(setDoc(doc(dbAs('owner'), ackPath(WS_A)), ack('owner')));
    await assertSucceeds(getDoc(doc(dbAs('viewer'), ackPath(WS_A))));
    await assertFails(deleteDoc(doc(dbAs('viewer'), ackPath(WS_A))));
    await assertSucceeds(deleteDoc(doc(dbAs('admin'), ackPath(WS_A))));
  });

  it.each(EVERYONE)('%s reads, lists and queries the check marks of ws-a only as a member', async (who) => {
    const db = dbAs(who);
    const allowed = WS_A_MEMBERS.has(who);
    await expectAccess(allowed, getDoc(doc(db, SEEDED_ACK)));
    await expectAccess(allowed, getDocs(collection(db, paths.testAcks(WS_A, AGENT))));
    // The query the dashboard runs (web/src/lib/data/acks.ts).
    await expectAccess(allowed, getDocs(query(collection(db, paths.testAcks(WS_A, AGENT)), where('solutionId', '==', 'clamav'))));
  });

  it("a check mark cannot be re-signed for the same failure streak: not to an admin's name, not with a new time", async () => {
    await assertFails(setDoc(doc(dbAs('admin'), SEEDED_ACK), seededAck('admin')));
    await assertFails(updateDoc(doc(dbAs('admin'), SEEDED_ACK), { acknowledgedBy: USERS.admin.uid, acknowledgedAt: serverTimestamp() }));
    await assertFails(updateDoc(doc(dbAs('owner'), SEEDED_ACK), { acknowledgedAt: serverTimestamp() }));
    await assertFails(setDoc(doc(dbAs('owner'), SEEDED_ACK), seededAck('owner')));
  });

  it('a new failure streak of the same test may be checked by another manager', async () => {
    await assertSucceeds(setDoc(doc(dbAs('admin'), SEEDED_ACK), seededAck('admin', { failingSince: '2026-11-28T08:00:00Z' })));
    // ...still signed and timed by the caller.
    await assertFails(
      setDoc(doc(dbAs('owner'), SEEDED_ACK), seededAck('owner', { failingSince: '2026-11-29T08:00:00Z', acknowledgedBy: USERS.admin.uid })),
    );
  });

  it('check marks of "a__b" + "c" and "a" + "b__c" are two documents, each holding its own test', async () => {
    const db = dbAs('owner');
    const first = paths.testAck(WS_A, AGENT, 'a__b', 'c');
    const second = paths.testAck(WS_A, AGENT, 'a', 'b__c');
    if (first === second) throw new Error(`both marks would be stored at ${first}`);
    await assertSucceeds(setDoc(doc(db, first), ack('owner', { solutionId: 'a__b', testId: 'c' })));
    await assertSucceeds(setDoc(doc(db, second), ack('owner', { solutionId: 'a', testId: 'b__c' })));
    const stored = await getDocs(collection(db, paths.testAcks(WS_A, AGENT)));
    const tests = stored.docs.map((mark) => `${String(mark.get('solutionId'))}/${String(mark.get('testId'))}`).sort();
    if (!tests.includes('a__b/c') || !tests.includes('a/b__c')) throw new Error(`marks stored: ${tests.join(', ')}`);
  });

  it.each<[string, string, DocumentData]>([
    ['the old "__" id of a__b + c', 'a__b__c', { solutionId: 'a__b', testId: 'c' }],
    ['the old "__" id of a + b__c', 'a__b__c', { solutionId: 'a', testId: 'b__c' }],
    ['a solution id holding the separator', 'a~b~c', { solutionId: 'a~b', testId: 'c' }],
    ['a test id holding the separator', 'a~b~c', { solutionId: 'a', testId: 'b~c' }],
    ['a solution id that is not a slug', 'ClamAV~eicar-detected', { solutionId: 'ClamAV', testId: 'eicar-detected' }],
    ['a test id that is not a slug', 'clamav~Eicar Detected', { solutionId: 'clamav', testId: 'Eicar Detected' }],
    ['an empty test id', 'clamav~', { solutionId: 'clamav', testId: '' }],
    ['a test id of 65 characters', `clamav~${'t'.repeat(65)}`, { solutionId: 'clamav', testId: 't'.repeat(65) }],
  ])('a check mark is refused under %s', async (_label, ackId, names) => {
    await assertFails(setDoc(doc(dbAs('owner'), `${paths.testAcks(WS_A, AGENT)}/${ackId}`), ack('owner', names)));
  });

  it('a check mark is refused under an agent that does not exist', async () => {
    await assertFails(setDoc(doc(dbAs('owner'), paths.testAck(WS_A, 'no-such-agent', 'clamav', 'eicar-detected')), ack('owner')));
    // ws-b has an agent of that id: it is ws-a's that must exist.
    await assertFails(setDoc(doc(dbAs('owner'), paths.testAck(WS_A, 'agent-of-b-only', 'clamav', 'eicar-detected')), ack('owner')));
  });
});

// ---- a member removed: the member document decides, not the users/{uid}.workspaces mirror ---------

describe('a removed member', () => {
  beforeEach(async () => {
    // Removal deletes the member document; the mirror in users/{uid} lags behind (a trigger).
    await env.withSecurityRulesDisabled(async (context) => {
      const db = context.firestore() as unknown as Firestore;
      await deleteDoc(doc(db, paths.member(WS_A, USERS.admin.uid)));
      const mirror = await getDoc(doc(db, paths.user(USERS.admin.uid)));
      if (mirror.get(`workspaces.${WS_A}`) !== 'admin') throw new Error('the mirror should still list ws-a');
    });
  });

  it('still reads their own profile, which still lists the workspace', async () => {
    await assertSucceeds(getDoc(doc(dbAs('admin'), paths.user(USERS.admin.uid))));
  });

  it('reads nothing of the workspace any more', async () => {
    const db = dbAs('admin');
    await assertFails(getDoc(doc(db, paths.workspace(WS_A))));
    await assertFails(getDocs(collection(db, paths.members(WS_A))));
    await assertFails(getDoc(doc(db, paths.member(WS_A, USERS.owner.uid))));
    await assertFails(getDocs(collection(db, paths.agents(WS_A))));
    await assertFails(getDoc(doc(db, paths.agent(WS_A, AGENT))));
    await assertFails(getDoc(doc(db, paths.agentState(WS_A, AGENT))));
    await assertFails(getDocs(collection(db, paths.reports(WS_A, AGENT))));
    await assertFails(getDocs(collection(db, paths.testAcks(WS_A, AGENT))));
    await assertFails(getDocs(collection(db, paths.events(WS_A))));
    await assertFails(getDoc(doc(db, paths.event(WS_A, EVENT))));
  });

  it('changes nothing of the workspace any more', async () => {
    const db = dbAs('admin');
    await assertFails(updateDoc(doc(db, paths.workspace(WS_A)), { name: 'Still mine' }));
    await assertFails(updateDoc(doc(db, paths.event(WS_A, EVENT)), { acknowledgedAt: serverTimestamp(), acknowledgedBy: USERS.admin.uid }));
    await assertFails(
      setDoc(doc(db, paths.testAck(WS_A, AGENT, 'clamav', 'eicar-detected')), {
        solutionId: 'clamav',
        testId: 'eicar-detected',
        acknowledgedBy: USERS.admin.uid,
        acknowledgedAt: serverTimestamp(),
        failingSince: '2026-11-27T10:00:00Z',
      }),
    );
    await assertFails(deleteDoc(doc(db, paths.testAck(WS_A, AGENT, 'clamav', 'seeded-test'))));
  });
});

// ---- below an agent's documents: only the collections Vigil stores are readable -------------------

describe('documents below a report or the state', () => {
  // Nothing is stored below a report or state/current. Should anything ever be, it is not readable
  // until a rule names it: the agent's subtree is not one blanket read.
  it.each(EVERYONE)('%s cannot read or list them, not even a member', async (who) => {
    const db = dbAs(who);
    await assertFails(getDoc(doc(db, `${paths.report(WS_A, AGENT, REPORT)}/extra/doc-1`)));
    await assertFails(getDocs(collection(db, `${paths.report(WS_A, AGENT, REPORT)}/extra`)));
    await assertFails(getDoc(doc(db, `${paths.agentState(WS_A, AGENT)}/extra/doc-1`)));
    await assertFails(getDoc(doc(db, `${paths.agent(WS_A, AGENT)}/unplanned/doc-1`)));
    await assertFails(setDoc(doc(db, `${paths.report(WS_A, AGENT, REPORT)}/extra/doc-2`), { any: 'thing' }));
  });
});

describe('collection-group queries', () => {
  // A collection group spans every workspace, so no rule can allow one for a member of one workspace.
  it.each(['agents', 'state', 'reports', 'events', 'members', 'summary'])('even an owner cannot query all "%s"', async (group) => {
    await assertFails(getDocs(collectionGroup(dbAs('owner'), group)));
  });
});

// ---- agentKeys/{keyId}: functions only -----------------------------------------------------------

describe('agentKeys/{keyId}', () => {
  it.each(EVERYONE)('%s cannot read, list, query, create, update or delete a key', async (who) => {
    const db = dbAs(who);
    const key = doc(db, paths.agentKey(KEY_ID));
    await assertFails(getDoc(key));
    await assertFails(getDocs(collection(db, paths.agentKeys())));
    await assertFails(getDocs(query(collection(db, paths.agentKeys()), where('workspaceId', '==', WS_A))));
    await assertFails(
      setDoc(doc(db, paths.agentKey('key0002')), { workspaceId: WS_A, agentId: AGENT, hash: 'b'.repeat(64), createdAt: AT, revokedAt: null }),
    );
    await assertFails(updateDoc(key, { revokedAt: null, hash: 'c'.repeat(64) }));
    await assertFails(deleteDoc(key));
  });
});

// ---- system/{doc}: the schedules' own documents (cursors, leases), functions only ------------------

describe('system/{doc}', () => {
  it.each(EVERYONE)("%s cannot read, list, create, update or delete the fleet summaries' cursor", async (who) => {
    const db = dbAs(who);
    const cursor = doc(db, paths.fleetSummaryCursor());
    await assertFails(getDoc(cursor));
    await assertFails(getDocs(collection(db, 'system')));
    await assertFails(setDoc(doc(db, 'system/forged'), { cursor: AT }));
    await assertFails(updateDoc(cursor, { cursor: null }));
    await assertFails(deleteDoc(cursor));
  });
});

// ---- everything else -----------------------------------------------------------------------------

describe('paths no rule names', () => {
  it.each(EVERYONE)('%s can neither read nor write them', async (who) => {
    const db = dbAs(who);
    await assertFails(getDoc(doc(db, `${paths.workspace(WS_A)}/unplanned/doc-1`)));
    await assertFails(getDocs(collection(db, `${paths.workspace(WS_A)}/unplanned`)));
    await assertFails(setDoc(doc(db, `${paths.workspace(WS_A)}/unplanned/doc-2`), { any: 'thing' }));
    await assertFails(getDoc(doc(db, 'misc/doc-1')));
    await assertFails(setDoc(doc(db, 'misc/doc-2'), { any: 'thing' }));
  });
});
