// The Activity page (the audit log) end to end in Chromium against the emulators: an owner changes a
// setting, creates two agents, revokes one and acknowledges an event through the dashboard; the
// audit entries the callables and triggers write show on Activity newest first, and each filter
// (action, person, agent, days) narrows the list on the server. A viewer of the workspace gets no
// link and no data; axe finds nothing serious in light and dark mode, and a phone never scrolls
// sideways. One entry by that viewer, older, and a batch of system entries (for the second
// page and markup that must stay text) are written with the Admin SDK, as functions would write them.
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, paths, type AuditAction } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import type { ReadCounter } from '../src/lib/data/read-counter';
import { AUDIT_PAGE_SIZE } from '../src/lib/domain/audit-filters';
import {
  createEmulatorUser,
  DASHBOARD_URL,
  horizontalOverflow,
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signIn,
  TRIGGER_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  type TestUser,
} from './support/browser';

const DAY_MS = 24 * 60 * 60 * 1000;
const MARKUP_NAME = '<img src=x onerror="window.__vigilXss=1">';
/** The browser's days are UTC here (the context's time zone), so the test names days in UTC too. */
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('activity (audit log)', { timeout: 240_000 }, () => {
  let browser: Browser;
  let owner: TestUser;
  let viewer: TestUser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;
  const agentIds: Record<string, string> = {};

  const url = (path: string, params: Record<string, string> = {}) =>
    `${DASHBOARD_URL}${path}?${new URLSearchParams({ ws: workspaceId, ...params }).toString()}`;
  const shownActions = () => page.getByTestId('audit-entry').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
  /** Waits until the list shows exactly `actions`, in that order (each filter change is a read from the server). */
  const expectShown = (actions: string[]) => expect.poll(shownActions, { timeout: 15_000 }).toEqual(actions);
  const reads = () => page.evaluate(() => (window as { __vigilReads?: ReadCounter }).__vigilReads);

  /** Requests this page sent to Firestore that query the audit collection (bodies are form-encoded JSON). */
  const auditQueryLog = new WeakMap<Page, string[]>();
  function watchAuditQueries(watched: Page) {
    const seen: string[] = [];
    auditQueryLog.set(watched, seen);
    watched.on('request', (request) => {
      const body = request.postData();
      if (body && decodeURIComponent(body.replace(/\+/g, ' ')).includes('"collectionId":"audit"')) seen.push(request.url());
    });
  }
  const auditQueries = (watched: Page) => auditQueryLog.get(watched) ?? ['not watched'];

  /** The workspace's entries as stored, newest first. */
  async function storedEntries() {
    const snapshot = await adminDb().collection(paths.audit(workspaceId)).orderBy('at', 'desc').get();
    return snapshot.docs.map((entry) => entry.data() as { action: AuditAction; actor: { type: string; uid?: string }; ip?: string });
  }

  /** A change is audited in its own transaction (callables) or by a trigger (client writes): wait for the entry. */
  async function waitForEntries(action: AuditAction, count: number) {
    await vi.waitFor(
      async () => {
        const entries = (await storedEntries()).filter((entry) => entry.action === action);
        if (entries.length < count) throw new Error(`${action}: ${entries.length} of ${count} entries so far`);
      },
      { timeout: TRIGGER_TIMEOUT_MS, interval: 250 },
    );
  }

  async function createAgent(name: string) {
    await page.goto(url('/agents/'));
    await page.getByRole('button', { name: 'Create agent' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('it will not be shown again').waitFor();
    const href = await dialog.getByRole('link', { name: 'Open the agent' }).getAttribute('href');
    agentIds[name] = new URL(href!, DASHBOARD_URL).searchParams.get('agent')!;
    await dialog.getByRole('button', { name: 'I have copied the command' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await createEmulatorUser('activity');
    viewer = await createEmulatorUser('activity-viewer');
    ({ page, pageErrors } = await openPage(browser, { timezoneId: 'UTC' }));
    await signIn(page, owner);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
    // A viewer of the owner's workspace, written as acceptInvitation would write the member.
    await adminDb()
      .doc(paths.member(workspaceId, viewer.uid))
      .set({ role: 'viewer', email: viewer.email, joinedAt: Timestamp.now(), lastActiveAt: null, notifications: DEFAULT_NOTIFICATION_PREFERENCES });
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('what the owner does shows on Activity, newest first, with who, what, on what, the change and the address', async () => {
    // A settings change: a client write, audited by the workspace trigger.
    await page.goto(url('/settings/'));
    const retention = DEFAULT_WORKSPACE_SETTINGS.retentionDays + 15;
    await page.getByLabel('Report retention (days)').fill(String(retention));
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor();
    await waitForEntries('workspace.settings_changed', 1);

    // Two agents created and one revoked: callables, audited in their own transaction.
    await createAgent('audit-web-1');
    await waitForEntries('agent.created', 1);
    await createAgent('audit-db-2');
    await waitForEntries('agent.created', 2);
    await page.getByRole('button', { name: 'Revoke audit-web-1' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await waitForEntries('agent.revoked', 1);

    // An event acknowledged: a client write the rules sign with the owner's uid.
    await adminDb()
      .doc(paths.event(workspaceId, 'activity-event-1'))
      .set({
        kind: 'agent_offline',
        agentId: agentIds['audit-db-2'],
        agentName: 'audit-db-2',
        hostname: null,
        solutionIds: [],
        reportId: null,
        createdAt: Timestamp.now(),
        details: { lastSeenAt: null, missedIntervals: 3 },
        acknowledgedAt: null,
        acknowledgedBy: null,
      });
    await page.goto(url('/events/'));
    await page.getByTestId('event-card').getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('acknowledged-by').waitFor();
    await waitForEntries('event.acknowledged', 1);

    // Ten days ago, the viewer joined: acceptInvitation's entry, with the caller's address.
    await adminDb()
      .collection(paths.audit(workspaceId))
      .doc('activity-old-viewer-entry')
      .set({
        at: Timestamp.fromMillis(Date.now() - 10 * DAY_MS),
        actor: { type: 'user', uid: viewer.uid, email: viewer.email },
        action: 'invitation.accepted',
        target: { type: 'member', id: viewer.uid, name: viewer.email },
        after: { role: 'viewer' },
        ip: '203.0.113.7',
        expireAt: Timestamp.fromMillis(Date.now() + 300 * DAY_MS),
      });

    // The owner finds the page in the navigation.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity', exact: true }).click();
    await page.waitForURL((address) => address.pathname === '/activity/');
    await expectShown(['event.acknowledged', 'agent.revoked', 'agent.created', 'agent.created', 'workspace.settings_changed', 'invitation.accepted']);
    await screenshot(page, 'activity');

    const rows = page.getByTestId('audit-entry');
    // What: the label and the action's own name, as text (other tests find rows by it).
    expect(await rows.nth(0).getByTestId('audit-action').textContent()).toBe('Event acknowledged (event.acknowledged)');
    // Who: the owner's address for a callable and for a write the rules sign.
    expect(await rows.nth(0).getByTestId('audit-actor').textContent()).toBe(owner.email);
    expect(await rows.nth(1).getByTestId('audit-actor').textContent()).toBe(owner.email);
    // On what: an agent links to its page, with its name.
    const created = rows.filter({ hasText: 'audit-db-2' }).and(page.locator('[data-action="agent.created"]'));
    const agentLink = created.getByTestId('audit-target').getByRole('link', { name: 'audit-db-2' });
    expect(new URL((await agentLink.getAttribute('href'))!, DASHBOARD_URL).searchParams.get('agent')).toBe(agentIds['audit-db-2']);
    // From where: the caller's address when the entry has one (the emulator may pass none).
    const storedIp = (await storedEntries()).find((entry) => entry.action === 'agent.created')?.ip;
    expect(await created.getByTestId('audit-ip').count()).toBe(storedIp ? 1 : 0);
    // When: relative, with the exact time on hover.
    const time = rows.nth(0).locator('time');
    expect(await time.getAttribute('title')).toBeTruthy();
    expect(Date.now() - Date.parse((await time.getAttribute('datetime'))!)).toBeLessThan(10 * 60_000);
    // The change: the setting that moved, before → after (a first save also stores the activity
    // log's retention, absent until then, so that field shows as set too).
    const settings = rows.nth(4);
    const change = settings.locator('[data-testid="audit-change"][data-path="settings.retentionDays"]');
    expect(await change.count()).toBe(1);
    expect(await settings.getByTestId('audit-change').count()).toBeLessThanOrEqual(2);
    expect(await change.textContent()).toContain(String(DEFAULT_WORKSPACE_SETTINGS.retentionDays));
    expect(await change.textContent()).toContain(String(retention));
    // A client write whose writer the trigger was not told (the emulator's case) says so.
    if ((await settings.getByTestId('audit-actor').getAttribute('data-actor-type')) === 'unknown') {
      await page.getByText('“unknown”: the change was written from the dashboard').waitFor();
    }
    // The viewer's member target shows their address; their entry its details and address.
    const joined = rows.nth(5);
    expect(await joined.getByTestId('audit-target').textContent()).toBe(`Member ${viewer.email}`);
    expect(await joined.getByTestId('audit-actor').textContent()).toBe(viewer.email);
    expect(await joined.getByTestId('audit-change').textContent()).toBe('role: viewer');
    expect(await joined.getByTestId('audit-ip').textContent()).toBe('203.0.113.7');
    // A load reads one page of entries (and one more) and the session's and members' few documents.
    expect((await reads())!.documents).toBeLessThan(AUDIT_PAGE_SIZE + 10);
  });

  test('each filter narrows the list on the server, and lives in the link', async () => {
    const all = ['event.acknowledged', 'agent.revoked', 'agent.created', 'agent.created', 'workspace.settings_changed', 'invitation.accepted'];
    await page.goto(url('/activity/'));
    await expectShown(all);

    await page.getByLabel('Action').selectOption('agent.created');
    await page.waitForURL((address) => address.searchParams.get('action') === 'agent.created');
    await expectShown(['agent.created', 'agent.created']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectShown(all);

    // A person: the viewer's one entry; the owner's are every entry the store names them in.
    await page.getByLabel('Person').selectOption({ label: viewer.email });
    await page.waitForURL((address) => address.searchParams.get('person') === viewer.uid);
    await expectShown(['invitation.accepted']);
    await page.getByLabel('Person').selectOption({ label: owner.email });
    const byOwner = (await storedEntries()).filter((entry) => entry.actor.uid === owner.uid).map((entry) => entry.action);
    expect(byOwner).toEqual(expect.arrayContaining(['event.acknowledged', 'agent.revoked', 'agent.created', 'agent.created']));
    await expectShown(byOwner);
    await page.getByLabel('Person').selectOption({ label: 'Everyone' });
    await expectShown(all);

    // An agent, found by the start of its name: what was done to it, and with an action, only that.
    await page.getByRole('searchbox', { name: 'Agent' }).fill('audit-w');
    await page.getByTestId('agent-search-results').getByRole('button', { name: 'audit-web-1', exact: true }).click();
    await page.waitForURL((address) => address.searchParams.get('agent') === agentIds['audit-web-1']);
    await expectShown(['agent.revoked', 'agent.created']);
    await page.getByLabel('Action').selectOption('agent.created');
    await expectShown(['agent.created']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectShown(all);

    // Days: from three days ago leaves out the viewer's old entry; up to five days ago keeps only it.
    await page.getByLabel('From').fill(utcDay(Date.now() - 3 * DAY_MS));
    await expectShown(all.slice(0, 5));
    await page.getByLabel('From').fill('');
    await page.waitForURL((address) => !address.searchParams.has('from'));
    await expectShown(all);
    await page.getByLabel('To (inclusive)').fill(utcDay(Date.now() - 5 * DAY_MS));
    await page.waitForURL((address) => address.searchParams.get('to') === utcDay(Date.now() - 5 * DAY_MS));
    await expectShown(['invitation.accepted']);
    // The last day counts whole: today, as the last day, keeps today's entries.
    await page.getByLabel('To (inclusive)').fill(utcDay(Date.now()));
    await expectShown(all);
    // A first day after the last is said, not asked of the server.
    await page.getByLabel('From').fill(utcDay(Date.now() + DAY_MS));
    await page.getByText('The first day is after the last day').waitFor();
    expect(await page.getByTestId('audit-entry').count()).toBe(0);

    // A filtered link opens filtered.
    await page.goto(url('/activity/', { action: 'agent.revoked' }));
    await expectShown(['agent.revoked']);
    expect(await page.getByLabel('Action').inputValue()).toBe('agent.revoked');
  });

  test('shows 25 entries a page, older ones on request, and markup in a stored name as text', async () => {
    // Thirty older entries from Vigil itself, one named with markup.
    const batch = adminDb().batch();
    for (let index = 0; index < 30; index += 1) {
      batch.set(adminDb().collection(paths.audit(workspaceId)).doc(`activity-system-${index}`), {
        at: Timestamp.fromMillis(Date.now() - 20 * DAY_MS - index * 60_000),
        actor: { type: 'system' },
        action: 'agent.revoked',
        target: { type: 'agent', id: `seeded-${index}`, name: index === 0 ? MARKUP_NAME : `seeded-${index}` },
        expireAt: Timestamp.fromMillis(Date.now() + 300 * DAY_MS),
      });
    }
    await batch.commit();

    watchAuditQueries(page);
    await page.goto(url('/activity/'));
    await expect.poll(() => page.getByTestId('audit-entry').count(), { timeout: UI_TIMEOUT_MS }).toBe(AUDIT_PAGE_SIZE);
    // The watcher sees the owner's audit query, so the viewer's test below can trust its "none".
    expect(auditQueries(page).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Load older activity' }).click();
    await expect.poll(() => page.getByTestId('audit-entry').count(), { timeout: UI_TIMEOUT_MS }).toBe(36);
    expect(await page.getByRole('button', { name: 'Load older activity' }).count()).toBe(0);
    const system = page.getByTestId('audit-entry').filter({ has: page.locator('[data-actor-type="system"]') });
    expect(await system.first().getByTestId('audit-actor').textContent()).toBe('Vigil');
    const markup = system.filter({ hasText: MARKUP_NAME });
    expect(await markup.getByTestId('audit-target').getByRole('link').textContent()).toBe(MARKUP_NAME);
    expect(await page.evaluate(() => (window as { __vigilXss?: number }).__vigilXss)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  test('has no serious or critical axe violations in light and dark mode, and a phone never scrolls sideways', async () => {
    const found: Record<string, unknown> = {};
    const contexts = {
      light: { colorScheme: 'light' },
      dark: { colorScheme: 'dark' },
      phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    } as const;
    for (const [name, options] of Object.entries(contexts)) {
      const opened = await openPage(browser, options);
      await signIn(opened.page, owner);
      await opened.page.goto(url('/activity/'));
      await expect.poll(() => opened.page.getByTestId('audit-entry').count(), { timeout: UI_TIMEOUT_MS }).toBe(AUDIT_PAGE_SIZE);
      if (name === 'phone') {
        const pixels = await horizontalOverflow(opened.page);
        if (pixels > 0) found['phone overflow (px)'] = pixels;
        await screenshot(opened.page, 'phone-activity');
      } else {
        const violations = await seriousAxeViolations(opened.page);
        if (violations.length) found[name] = violations;
      }
      expect(opened.pageErrors).toEqual([]);
      await opened.page.context().close();
    }
    expect(found).toEqual({});
  });

  test('a viewer gets no Activity link and no data', async () => {
    const { page: viewerPage, pageErrors: viewerErrors } = await openPage(browser);
    watchAuditQueries(viewerPage);
    await signIn(viewerPage, viewer);
    await viewerPage.goto(url('/agents/'));
    const nav = viewerPage.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Agents', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'Activity', exact: true }).count()).toBe(0);

    await viewerPage.goto(url('/activity/'));
    await viewerPage.getByText('Activity is for owners and admins').waitFor();
    expect(await viewerPage.getByTestId('audit-entry').count()).toBe(0);
    // No audit read was made: the page counts none (the viewer's shell reads documents, never a
    // query), and, since the rules would refuse one and a refused read is never counted, no query
    // of the audit collection went to Firestore either.
    const viewerReads = await viewerPage.evaluate(() => (window as { __vigilReads?: ReadCounter }).__vigilReads);
    expect(viewerReads?.queries ?? 0, JSON.stringify(viewerReads)).toBe(0);
    expect(auditQueries(viewerPage)).toEqual([]);
    expect(await viewerPage.getByRole('search', { name: 'Filter activity' }).count()).toBe(0);
    await screenshot(viewerPage, 'activity-viewer');
    expect(viewerErrors).toEqual([]);
    await viewerPage.context().close();
  });
});
