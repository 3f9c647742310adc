// The dashboard end to end in Chromium, against the emulators and the real agent bundle: create an
// agent in the UI, run the agent once on this machine, then feed it fixture reports (collected by
// the same bundle) until a test fails and the configuration changes; acknowledge, mark as checked,
// change settings; check markup stays text, axe finds nothing serious in light and dark mode, and a
// phone never scrolls sideways. The tests build on each other and run in order.
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, paths, type ReportInput } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import { collectFixtures, collectHere, enrollWithCommand, fixture, optionOf, runAgentOnce, sendReport } from './support/agent';
import { summarizeFleetsNow } from './support/fleet';
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

const HEALTHY = [fixture('sshd', 'hardened'), fixture('ufw', 'active'), fixture('clamav', 'healthy'), fixture('fail2ban', 'healthy')];
// sshd now permits root and password logins: two tests fail and its configuration changes.
const FAILING = [fixture('sshd', 'root-password-login'), fixture('ufw', 'active'), fixture('clamav', 'healthy'), fixture('fail2ban', 'healthy')];
const MARKUP_HOST = '<img src=x onerror="window.__vigilXss=1">';
const MARKUP_MESSAGE = '<script>window.__vigilXss=2</script><b>not bold</b>';
const MARKUP_VALUE = '<img src=x onerror=window.__vigilXss=3>';

describe('dashboard', { timeout: 240_000 }, () => {
  let browser: Browser;
  let user: TestUser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;
  let agentId: string;
  let key: string;
  let endpoint: string;

  const url = (path: string, params: Record<string, string> = {}) =>
    `${DASHBOARD_URL}${path}?${new URLSearchParams({ ws: workspaceId, ...params }).toString()}`;
  const agentPage = () => url('/agent/', { agent: agentId });
  const sshdPage = () => url('/solution/', { agent: agentId, solution: 'sshd' });

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('dashboard');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('a new workspace shows empty states, and Hosting serves the installer and the agent bundle', async () => {
    await page.getByText('No agents yet').waitFor();
    await page.getByText('No events yet').waitFor();
    for (const asset of ['/install.sh', '/vigil-agent.mjs']) {
      const response = await fetch(`${DASHBOARD_URL}${asset}`);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length, asset).toBeGreaterThan(1000);
    }
  });

  test('creates an agent in the UI and shows its install command once: no key, a token that enrolls the agent once', async () => {
    await page.goto(url('/agents/'));
    await page.getByRole('button', { name: 'Create agent' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('web-browser-1');
    await dialog.getByLabel('Description').fill('Created by the browser test');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('it will not be shown again').waitFor();
    expect(await dialog.getByTestId('agent-key').count()).toBe(0);
    await dialog.getByText('It works once, on one server, until').waitFor();
    const installCommand = (await dialog.getByTestId('install-command').textContent())!.trim();
    expect(installCommand).not.toMatch(/vgl_|--key/);
    expect(installCommand).toMatch(/^f=\$\(mktemp\) && curl -fsSL --proto \S+ --proto-redir '=https' -o "\$f" \S+\/install\.sh && /);
    const token = optionOf(installCommand, '--token');
    expect(token).toMatch(/^vgle_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    expect(await dialog.getByTestId('agent-enrollment-token').textContent()).toContain(token);
    const expiry = await dialog.getByTestId('install-command-expiry').getAttribute('datetime');
    expect(new Date(expiry!).getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    // Hosting serves the very files whose SHA-256s the command carries.
    const served = async (asset: string) =>
      createHash('sha256')
        .update(Buffer.from(await (await fetch(`${DASHBOARD_URL}${asset}`)).arrayBuffer()))
        .digest('hex');
    expect(installCommand).toContain(`echo "${await served('/install.sh')}  $f" | sha256sum -c --quiet -`);
    expect(optionOf(installCommand, '--sha256').replace(/;$/, '')).toBe(await served('/vigil-agent.mjs'));
    await screenshot(page, 'agents-create-key');
    const href = await dialog.getByRole('link', { name: 'Open the agent' }).getAttribute('href');
    agentId = new URL(href!, DASHBOARD_URL).searchParams.get('agent')!;
    await dialog.getByRole('button', { name: 'I have copied the command' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('agent-row').filter({ hasText: 'web-browser-1' });
    await row.getByText('Never seen').waitFor();
    // The host runs the command: its enrollment issues the key of exactly this agent.
    const enrolled = await enrollWithCommand(installCommand, 'web-browser-1');
    expect(enrolled.agentId).toBe(agentId);
    ({ key, endpoint } = enrolled);
    expect(key).toMatch(/^vgl_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    await page.reload();
    await row.getByText('Never seen').waitFor();
    // The key is never shown in the dashboard: not in the list, not on the agent page.
    expect(await page.content()).not.toContain(key);
  });

  test('runs the real agent once: the agent page shows its host and the solutions it found', async () => {
    const here = await collectHere();
    const { stdout } = await runAgentOnce(endpoint, key);
    expect(stdout).toContain('report delivered');

    await page.goto(agentPage());
    await page.getByTestId('agent-name').getByText('web-browser-1').waitFor();
    await page.getByTestId('agent-facts').getByText('Online').waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    if (here.host.hostname) expect(await page.getByTestId('agent-hostname').textContent()).toBe(here.host.hostname);
    if (here.solutions.length === 0) {
      await page.getByText('No security tools found').waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    } else {
      await page.getByTestId('agent-solutions').waitFor({ timeout: TRIGGER_TIMEOUT_MS });
      const shown = await page.getByTestId('solution-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-solution')));
      expect(shown.sort()).toEqual(here.solutions.map((solution) => solution.id).sort());
    }
    await page.getByTestId('report-timeline').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('report-timeline').locator('tbody tr').count()).toBe(1);
  });

  test('a failing test and a configuration change appear on the overview, the events and the solution page', async () => {
    await sendReport(endpoint, key, await collectFixtures(HEALTHY));
    await page.goto(agentPage());
    await page.locator('[data-solution="clamav"]').waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    await page.locator('[data-solution="sshd"]').getByText('Healthy').waitFor({ timeout: TRIGGER_TIMEOUT_MS });

    await sendReport(endpoint, key, await collectFixtures(FAILING));
    await page.locator('[data-solution="sshd"]').getByText('Failing').waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    await screenshot(page, 'agent');

    // The overview's figures are the fleet summary, which the summarizeFleets schedule writes (every minute deployed).
    await summarizeFleetsNow();
    await page.goto(url('/'));
    const latest = page.getByTestId('latest-events');
    await latest.getByText('Test failed').first().waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    await latest.getByText('Configuration changed').first().waitFor();
    await expect.poll(() => page.getByTestId('stat-tests').textContent(), { timeout: TRIGGER_TIMEOUT_MS }).toMatch(/failing on 1 agent/);
    await page.getByTestId('attention-list').getByText('web-browser-1').waitFor();
    await screenshot(page, 'overview');

    await page.goto(url('/events/', { kind: 'config_changed', agent: agentId, solution: 'sshd' }));
    const newestChange = page.getByTestId('event-card').first();
    await newestChange.getByRole('button', { name: /Show all/ }).click();
    const change = newestChange.locator('[data-key="permitrootlogin"]');
    expect(await change.locator('del').textContent()).toBe('no');
    expect(await change.locator('ins').textContent()).toBe('yes');

    await page.goto(sshdPage());
    const rootLogin = page.locator('[data-test-id="root-login-disabled"]');
    await rootLogin.waitFor();
    expect(await rootLogin.getAttribute('data-passed')).toBe('false');
    expect(await rootLogin.getByTestId('test-message').textContent()).toContain('PermitRootLogin is yes');
    // Its results in the recorded reports (each a change here): passed in the healthy report, failed in the latest.
    await expect
      .poll(() => rootLogin.getByRole('img').getAttribute('aria-label'), { timeout: UI_TIMEOUT_MS })
      .toMatch(/^Passed in \d+ of the last \d+ recorded reports; the latest failed/);
    // Newest first: the change the failing report brought.
    const newest = page.getByTestId('config-history').locator('[data-key="permitrootlogin"]').first();
    expect(await newest.locator('ins').textContent()).toBe('yes');
    // Metrics come from the agent document (every report's, by the hour), not from the recorded reports.
    await page.getByTestId('metrics-charts').or(page.getByText('No metrics yet')).first().waitFor();
    await screenshot(page, 'solution');
  });

  test('acknowledges an event and marks a failing test as checked; both survive a reload', async () => {
    await page.goto(url('/events/', { kind: 'test_failed' }));
    const card = page.getByTestId('event-card').filter({ hasText: 'root-login-disabled' }).first();
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await card.getByTestId('acknowledged-by').getByText('Acknowledged by you').waitFor();
    await screenshot(page, 'events');
    await page.reload();
    await page.getByTestId('event-card').filter({ hasText: 'root-login-disabled' }).first().getByText('Acknowledged by you').waitFor();

    await page.goto(sshdPage());
    await page.getByRole('button', { name: 'Mark as checked: root-login-disabled' }).click();
    await page.locator('[data-test-id="root-login-disabled"]').getByTestId('checked-by').getByText('Checked by you').waitFor();
    await page.reload();
    await page.locator('[data-test-id="root-login-disabled"]').getByText('Checked by you').waitFor();
    // The other failing test is still unchecked.
    await page.getByRole('button', { name: 'Mark as checked: password-login-disabled' }).waitFor();
  });

  test('changes settings and notification preferences, and sees them saved after a reload', async () => {
    // The audit log's retention, stored apart from report retention, shows in the form and survives its save.
    await adminDb().doc(paths.workspace(workspaceId)).update({ 'settings.auditRetentionDays': 400 });
    await page.goto(url('/settings/'));
    await expect.poll(() => page.getByLabel('Activity log retention (days)').inputValue(), { timeout: UI_TIMEOUT_MS }).toBe('400');
    const threshold = page.getByLabel('Failed-test threshold (reports)');
    await threshold.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter a number from 1 to 100.').waitFor();
    await threshold.fill('3');
    await page.getByLabel('Report retention (days)').fill('90');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor();

    await page.getByLabel('Test recovered').selectOption('off');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').getByText('Notification preferences saved.').waitFor();
    await screenshot(page, 'settings');

    await page.reload();
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
    expect(await page.getByLabel('Failed-test threshold (reports)').inputValue()).toBe('3');
    expect(await page.getByLabel('Report retention (days)').inputValue()).toBe('90');
    expect(await page.getByLabel('Test recovered').inputValue()).toBe('off');
    expect((await adminDb().doc(paths.workspace(workspaceId)).get()).get('settings')).toMatchObject({
      failedTestThreshold: 3,
      retentionDays: 90,
      auditRetentionDays: 400,
    });
    // Its own bounds (30 to 3,650 days), then saved.
    const auditRetention = page.getByLabel('Activity log retention (days)');
    await auditRetention.fill('29');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter a number from 30 to 3,650.').waitFor();
    await auditRetention.fill('800');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor();
    await expect.poll(async () => (await adminDb().doc(paths.workspace(workspaceId)).get()).get('settings.auditRetentionDays')).toBe(800);
  });

  test('markup in a report is shown as inert text', async () => {
    const report: ReportInput = await collectFixtures(FAILING);
    report.host.hostname = MARKUP_HOST;
    const sshd = report.solutions.find((solution) => solution.id === 'sshd')!;
    sshd.tests.find((test) => test.id === 'root-login-disabled')!.message = MARKUP_MESSAGE;
    sshd.configuration.banner = MARKUP_VALUE;
    await sendReport(endpoint, key, report);

    await page.goto(agentPage());
    await page.getByTestId('agent-hostname').getByText(MARKUP_HOST, { exact: true }).waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    await page.goto(sshdPage());
    await page.getByTestId('test-message').getByText(MARKUP_MESSAGE, { exact: true }).waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    await page.getByTestId('configuration-table').getByText(MARKUP_VALUE, { exact: true }).waitFor();
    await page.getByTestId('config-history').locator('[data-key="banner"]').getByText(MARKUP_VALUE).waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    await page.goto(url('/events/', { kind: 'config_changed' }));
    await page.getByTestId('event-card').first().getByText(MARKUP_HOST).waitFor();

    for (const path of [agentPage(), sshdPage(), url('/events/')]) {
      await page.goto(path);
      await page.getByText(MARKUP_HOST).or(page.getByText(MARKUP_VALUE)).first().waitFor();
      expect(await page.locator('img[src="x"]').count(), path).toBe(0);
      expect(
        await page.locator('script:not([src])').evaluateAll((scripts) => scripts.filter((s) => s.textContent?.includes('__vigilXss')).length),
        path,
      ).toBe(0);
      expect(await page.locator('b', { hasText: 'not bold' }).count(), path).toBe(0);
      expect(await page.evaluate(() => (window as { __vigilXss?: unknown }).__vigilXss), path).toBeUndefined();
    }
  });

  test('rotates, revokes and deletes an agent, each after a confirmation', async () => {
    await page.goto(url('/agents/'));
    await page.getByRole('button', { name: 'Create agent' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('to-delete');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    const { key: firstKey } = await enrollWithCommand((await create.getByTestId('install-command').textContent())!, 'to-delete');
    await create.getByRole('button', { name: 'I have copied the command' }).click();
    const row = page.getByTestId('agent-row').filter({ hasText: 'to-delete' });
    await row.waitFor();

    // Rotate key: the confirmation says what it does and how it differs from Ask to rotate.
    await row.getByRole('button', { name: 'Rotate key of to-delete' }).click();
    const confirmRotation = page.getByRole('alertdialog');
    await confirmRotation.getByText('The current key stops working at once').waitFor();
    await confirmRotation.getByText('Ask to rotate lets the agent switch keys itself').waitFor();
    await confirmRotation.getByRole('button', { name: 'Rotate key' }).click();
    // No key is shown: a command whose token re-enrolls the agent's server once, within 24 h.
    const rotation = page.getByRole('dialog').filter({ hasText: 'Re-enroll to-delete with a new key' });
    await rotation.getByText('The old key no longer works').waitFor();
    expect(await rotation.getByTestId('agent-key').count()).toBe(0);
    const rotationCommand = (await rotation.getByTestId('install-command').textContent())!.trim();
    expect(rotationCommand).not.toMatch(/vgl_|--key/);
    expect(rotationCommand).toContain(` --token ${optionOf(rotationCommand, '--token')} --force-enroll `);
    expect(await rotation.getByTestId('agent-enrollment-token').textContent()).toContain(optionOf(rotationCommand, '--token'));
    const rotationExpiry = await rotation.getByTestId('install-command-expiry').getAttribute('datetime');
    expect(new Date(rotationExpiry!).getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await rotation.getByRole('button', { name: 'I have copied the command' }).click();
    await rotation.waitFor({ state: 'detached' });
    // The old key is refused at once; the server runs the command and reports with its new key.
    await expect(sendReport(endpoint, firstKey, await collectFixtures(HEALTHY))).rejects.toThrow();
    const rekeyed = await enrollWithCommand(rotationCommand, 'to-delete');
    expect(rekeyed.key).not.toBe(firstKey);
    await sendReport(rekeyed.endpoint, rekeyed.key, await collectFixtures(HEALTHY));
    expect(await page.content()).not.toContain(rekeyed.key);

    await row.getByRole('button', { name: 'Revoke to-delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();

    await row.getByRole('button', { name: 'Delete to-delete' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('It cannot be undone').waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('agent-row').filter({ hasText: 'web-browser-1' }).waitFor();
    await screenshot(page, 'agents');
  });

  test('a viewer in a second workspace gets there with the switcher and sees no management actions', async () => {
    // Someone else's workspace where this user is a viewer, written as functions would write it.
    const db = adminDb();
    const shared = `shared-${Date.now()}`;
    const now = Timestamp.now();
    await db.doc(paths.workspace(shared)).set({
      name: 'Shared fleet',
      createdAt: now,
      createdBy: 'someone-else',
      settings: DEFAULT_WORKSPACE_SETTINGS,
    });
    await db.doc(paths.agent(shared, 'shared-agent')).set({
      name: 'shared-1',
      description: '',
      status: 'online',
      createdAt: now,
      createdBy: 'someone-else',
      intervalSeconds: 300,
      keyId: null,
      keyPrefix: null,
      revokedAt: null,
      lastSeenAt: now,
      lastReportId: null,
      agentVersion: '0.1.0',
      host: { hostname: 'shared-1.example' },
      summary: { solutions: ['ufw'], testsPassed: 4, testsFailed: 0 },
    });
    await db.doc(paths.member(shared, user.uid)).set({
      role: 'viewer',
      email: user.email,
      joinedAt: now,
      notifications: DEFAULT_NOTIFICATION_PREFERENCES,
    });
    // onMemberWritten mirrors the membership into users/{uid}.workspaces, where the switcher looks.
    await vi.waitFor(
      async () => {
        const profile = await db.doc(paths.user(user.uid)).get();
        if (profile.get(`workspaces.${shared}`) !== 'viewer') throw new Error('membership not mirrored yet');
      },
      { timeout: TRIGGER_TIMEOUT_MS, interval: 250 },
    );

    await page.goto(url('/agents/'));
    await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption({ label: 'Shared fleet' });
    await page.waitForURL((address) => address.searchParams.get('ws') === shared);
    await page.getByTestId('agent-row').filter({ hasText: 'shared-1' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create agent' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Manage' }).count()).toBe(0);

    await page.getByTestId('agent-row').getByRole('link', { name: 'shared-1' }).click();
    await page.getByTestId('agent-name').getByText('shared-1').waitFor();
    expect(await page.getByRole('button', { name: /Rotate key|Revoke|Delete/ }).count()).toBe(0);

    await page.goto(`${DASHBOARD_URL}/settings/?ws=${shared}`);
    await page.getByText('Only owners and admins can change these settings.').waitFor();
    expect(await page.getByLabel('Report retention (days)').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await page.getByLabel('Test failed').isEnabled()).toBe(true);
    await screenshot(page, 'settings-viewer');

    await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption(workspaceId);
    await page.waitForURL((address) => address.searchParams.get('ws') === workspaceId);
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
  });

  test('has no serious or critical axe violations on any page, in light and dark mode', async () => {
    const pages = {
      overview: url('/'),
      agents: url('/agents/'),
      agent: agentPage(),
      solution: sshdPage(),
      events: url('/events/'),
      settings: url('/settings/'),
    };
    const found: Record<string, unknown> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const opened = await openPage(browser, { colorScheme: scheme });
      await signIn(opened.page, user);
      expect(await opened.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(scheme === 'dark');
      for (const [name, address] of Object.entries(pages)) {
        await opened.page.goto(address);
        await opened.page.locator('h1').first().waitFor();
        await opened.page
          .getByRole('status')
          .filter({ hasText: /Loading|Checking/ })
          .first()
          .waitFor({ state: 'detached' });
        const violations = await seriousAxeViolations(opened.page);
        if (violations.length) found[`${name} (${scheme})`] = violations;
        if (scheme === 'dark' && (name === 'overview' || name === 'solution')) await screenshot(opened.page, `${name}-dark`);
      }
      await opened.page.context().close();
      expect(opened.pageErrors).toEqual([]);
    }
    const signin = await openPage(browser);
    await signin.page.goto(`${DASHBOARD_URL}/signin/`);
    await signin.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const signinViolations = await seriousAxeViolations(signin.page);
    if (signinViolations.length) found['signin (light)'] = signinViolations;
    await signin.page.context().close();
    expect(found).toEqual({});
  });

  test('a phone never scrolls sideways', async () => {
    const phone = await openPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone.page, user);
    const overflow: Record<string, number> = {};
    for (const [name, address] of Object.entries({
      overview: url('/'),
      agents: url('/agents/'),
      agent: agentPage(),
      solution: sshdPage(),
      events: url('/events/'),
      settings: url('/settings/'),
    })) {
      await phone.page.goto(address);
      await phone.page.locator('h1').first().waitFor();
      await phone.page
        .getByRole('status')
        .filter({ hasText: /Loading|Checking/ })
        .first()
        .waitFor({ state: 'detached' });
      const pixels = await horizontalOverflow(phone.page);
      if (pixels > 0) overflow[name] = pixels;
      await screenshot(phone.page, `phone-${name}`);
    }
    await phone.page.context().close();
    expect(overflow).toEqual({});
    expect(phone.pageErrors).toEqual([]);
  });

  test('no page threw along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
