// Workspaces and accounts end to end in Chromium, against the emulators (#14): create a second
// workspace from the switcher, switch, rename it, delete it (typed name), then the account: refused
// while its owner is the last owner of the personal workspace, deleted once that is gone and the user
// is only a viewer elsewhere. A second user deletes their only workspace and starts a new one from
// the account page. The invitation page takes the token out of the address bar. The tests build on
// each other and run in order.
import { DEFAULT_NOTIFICATION_PREFERENCES, DEFAULT_WORKSPACE_SETTINGS, paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { adminAuth, adminDb } from '../../tests/support/emulators';
import {
  createEmulatorUser,
  DASHBOARD_URL,
  fillSignInForm,
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signIn,
  TRIGGER_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  WORKSPACE_TIMEOUT_MS,
  type TestUser,
} from './support/browser';

const SECOND = 'Second fleet';
const RENAMED = 'Staging fleet';

describe('workspaces and accounts', { timeout: 240_000 }, () => {
  let browser: Browser;
  let user: TestUser;
  let page: Page;
  let pageErrors: string[];
  let personalId: string;
  let secondId: string;

  const switcher = () => page.getByRole('combobox', { name: 'Workspace', exact: true });
  const wsOf = () => new URL(page.url()).searchParams.get('ws');
  const optionLabels = () => switcher().locator('option').allTextContents();

  /** Settings' danger zone: opens the dialog, types `typed`, and returns the dialog. */
  async function openDeleteDialog(typed: string) {
    await page.getByTestId('danger-zone').getByRole('button', { name: 'Delete workspace' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('every agent key is revoked').waitFor();
    await dialog.getByLabel("Type the workspace's name to confirm").fill(typed);
    return dialog;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('workspaces');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    personalId = (await adminDb().doc(paths.user(user.uid)).get()).get('personalWorkspaceId') as string;
    expect(personalId).toBeTruthy();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('the switcher shows the only workspace and creates a second one, which it then lists', async () => {
    expect(await optionLabels()).toEqual([await page.getByTestId('workspace-name').textContent(), 'Create workspace…']);
    await switcher().selectOption({ label: 'Create workspace…' });
    const dialog = page.getByRole('dialog', { name: 'Create a workspace' });
    await dialog.getByLabel('Workspace name').fill(`  ${SECOND}  `);
    await screenshot(page, 'workspace-create');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(
      (address) => {
        const ws = address.searchParams.get('ws');
        return ws !== null && ws !== personalId;
      },
      { timeout: WORKSPACE_TIMEOUT_MS },
    );
    secondId = wsOf()!;
    await page.getByTestId('workspace-name').getByText(SECOND, { exact: true }).waitFor();
    await page.getByText('No agents yet').waitFor();
    expect(await switcher().inputValue()).toBe(secondId);
    await vi.waitFor(async () => expect((await optionLabels()).sort()).toEqual(['Create workspace…', SECOND, await personalName()].sort()), {
      timeout: UI_TIMEOUT_MS,
    });

    const stored = await adminDb().doc(paths.member(secondId, user.uid)).get();
    expect(stored.get('role')).toBe('owner');
  });

  async function personalName(): Promise<string> {
    return (await adminDb().doc(paths.workspace(personalId)).get()).get('name') as string;
  }

  /** onMemberWritten mirrors a membership into users/{uid}.workspaces, which a fresh load reads for the switcher. */
  async function mirrored(uid: string, workspaceId: string, role: string | undefined) {
    await vi.waitFor(
      async () => {
        const profile = await adminDb().doc(paths.user(uid)).get();
        if (profile.get(`workspaces.${workspaceId}`) !== role) throw new Error(`membership of ${workspaceId} not mirrored yet`);
      },
      { timeout: TRIGGER_TIMEOUT_MS, interval: 250 },
    );
  }

  test('switches between the two, keeping the page', async () => {
    await mirrored(user.uid, secondId, 'owner');
    await page.goto(`${DASHBOARD_URL}/settings/?ws=${secondId}`);
    await switcher().selectOption(personalId);
    await page.waitForURL((address) => address.pathname.startsWith('/settings') && address.searchParams.get('ws') === personalId);
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
    await switcher().selectOption({ label: SECOND });
    await page.waitForURL((address) => address.searchParams.get('ws') === secondId);
  });

  test('renames the second workspace in Settings, and the switcher shows the new name', async () => {
    await page.getByLabel('Workspace name').fill(RENAMED);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await vi.waitFor(async () => expect(await optionLabels()).toContain(RENAMED), { timeout: UI_TIMEOUT_MS });
    expect(await optionLabels()).not.toContain(SECOND);
  });

  test('deletes it after the name is typed exactly, and goes back to the personal workspace', async () => {
    const dialog = await openDeleteDialog(SECOND);
    const confirm = dialog.getByRole('button', { name: 'Delete this workspace' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type the workspace's name to confirm").fill(RENAMED.toLowerCase());
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type the workspace's name to confirm").fill(RENAMED);
    await screenshot(page, 'workspace-delete');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await confirm.click();
    await page.waitForURL((address) => address.pathname === '/' && address.searchParams.get('ws') === personalId, { timeout: WORKSPACE_TIMEOUT_MS });
    await page.getByTestId('workspace-name').waitFor();
    expect(await optionLabels()).not.toContain(RENAMED);
    expect((await adminDb().doc(paths.workspace(secondId)).get()).exists).toBe(false);
    expect((await adminDb().doc(paths.member(secondId, user.uid)).get()).exists).toBe(false);
  });

  test('the account page refuses to delete the account of the last owner of a workspace, and changes nothing', async () => {
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.waitForURL((address) => address.pathname.startsWith('/account'));
    expect(await page.getByTestId('account-email').textContent()).toBe(user.email);
    expect(await page.getByTestId('account-verified').textContent()).toBe('Not verified');
    await page.getByTestId('delete-account').getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'Could not delete account' });
    await refusal.waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(await refusal.textContent()).toContain('You are the last owner of 1 workspace:');
    await screenshot(page, 'account-delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect((await adminDb().doc(paths.member(personalId, user.uid)).get()).get('role')).toBe('owner');
    expect((await adminAuth().getUser(user.uid)).email).toBe(user.email);
  });

  test('once only a viewer elsewhere, the user deletes the personal workspace, lands in the other, and deletes the account', async () => {
    // Someone else's workspace where this user is a viewer, written as functions would write it.
    const db = adminDb();
    const shared = `shared-${Date.now()}`;
    const now = Timestamp.now();
    await db
      .doc(paths.workspace(shared))
      .set({ name: 'Shared fleet', createdAt: now, createdBy: 'someone-else', settings: DEFAULT_WORKSPACE_SETTINGS });
    await db
      .doc(paths.member(shared, 'someone-else'))
      .set({ role: 'owner', email: 'owner@vigil.test', joinedAt: now, notifications: DEFAULT_NOTIFICATION_PREFERENCES });
    await db
      .doc(paths.member(shared, user.uid))
      .set({ role: 'viewer', email: user.email, joinedAt: now, notifications: DEFAULT_NOTIFICATION_PREFERENCES });
    await mirrored(user.uid, shared, 'viewer');

    // A fresh load reads the mirror again: the switcher offers the shared workspace.
    await page.goto(`${DASHBOARD_URL}/settings/?ws=${personalId}`);
    await vi.waitFor(async () => expect(await optionLabels()).toContain('Shared fleet'), { timeout: WORKSPACE_TIMEOUT_MS });
    const name = await personalName();
    const dialog = await openDeleteDialog(name);
    await dialog.getByRole('button', { name: 'Delete this workspace' }).click();
    await page.waitForURL((address) => address.searchParams.get('ws') === shared, { timeout: WORKSPACE_TIMEOUT_MS });
    await page.getByTestId('workspace-name').getByText('Shared fleet').waitFor();

    // `/` with no workspace named opens the one left, not the deleted personal one.
    await page.goto(`${DASHBOARD_URL}/`);
    await page.getByTestId('workspace-name').getByText('Shared fleet').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });

    await page.goto(`${DASHBOARD_URL}/account/`);
    await page.getByTestId('delete-account').getByRole('button', { name: 'Delete account' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete account' }).click();
    await page.waitForURL((address) => /^\/signin\/?$/.test(address.pathname) && address.search === '', { timeout: WORKSPACE_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();

    expect((await db.doc(paths.member(shared, user.uid)).get()).exists).toBe(false);
    expect((await db.doc(paths.user(user.uid)).get()).exists).toBe(false);
    await expect(adminAuth().getUser(user.uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
    // The shared workspace and its owner are untouched.
    expect((await db.doc(paths.member(shared, 'someone-else')).get()).get('role')).toBe('owner');
    // Signing in again with the old password fails: the account is gone.
    await fillSignInForm(page, user);
    await page.getByRole('alert').filter({ hasText: 'Could not sign in' }).waitFor();
  });

  test('a user who deletes their only workspace is left with none (no fresh one behind their back), and deletes the account', async () => {
    const { page: other, pageErrors: otherErrors } = await openPage(browser);
    const alone = await createEmulatorUser('alone-leaving');
    await signIn(other, alone);
    const personal = (await adminDb().doc(paths.user(alone.uid)).get()).get('personalWorkspaceId') as string;
    const name = (await adminDb().doc(paths.workspace(personal)).get()).get('name') as string;
    const memberships = async () => (await adminDb().collectionGroup('members').get()).docs.filter((member) => member.id === alone.uid).length;
    expect(await memberships()).toBe(1);

    await other.goto(`${DASHBOARD_URL}/settings/?ws=${personal}`);
    await other.getByTestId('danger-zone').getByRole('button', { name: 'Delete workspace' }).click();
    const dialog = other.getByRole('alertdialog');
    await dialog.getByLabel("Type the workspace's name to confirm").fill(name);
    await dialog.getByRole('button', { name: 'Delete this workspace' }).click();
    // The account page, its address naming nothing: the notice comes from the profile.
    await other.waitForURL((address) => address.pathname === '/account/' && address.search === '', { timeout: WORKSPACE_TIMEOUT_MS });
    await other.getByRole('region', { name: 'No workspace left' }).getByText(`${name} was deleted`).waitFor();
    expect(await memberships()).toBe(0);

    // Had a fresh workspace been made, its owner would be its last owner and this would be refused.
    await other.getByTestId('delete-account').getByRole('button', { name: 'Delete account' }).click();
    await other.getByRole('alertdialog').getByRole('button', { name: 'Delete account' }).click();
    await other.waitForURL((address) => /^\/signin\/?$/.test(address.pathname), { timeout: WORKSPACE_TIMEOUT_MS });
    expect(await memberships()).toBe(0);
    await expect(adminAuth().getUser(alone.uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
    expect(otherErrors).toEqual([]);
    await other.context().close();
  });

  test('the account page believes no address: ?deleted= shows no notice to a user who has a workspace', async () => {
    const { page: other, pageErrors: otherErrors } = await openPage(browser);
    const someone = await createEmulatorUser('account-query');
    await signIn(other, someone);
    await other.goto(`${DASHBOARD_URL}/account/?deleted=Production`);
    await other.getByTestId('account-email').waitFor();
    await other.getByRole('link', { name: 'Back to your workspace' }).waitFor();
    expect(await other.getByRole('region', { name: 'No workspace left' }).count()).toBe(0);
    expect(otherErrors).toEqual([]);
    await other.context().close();
  });

  test('a user who deletes their only workspace lands on the account page and starts a new one there', async () => {
    const { page: other, pageErrors: otherErrors } = await openPage(browser);
    const alone = await createEmulatorUser('alone');
    await signIn(other, alone);
    const personal = (await adminDb().doc(paths.user(alone.uid)).get()).get('personalWorkspaceId') as string;
    const name = (await adminDb().doc(paths.workspace(personal)).get()).get('name') as string;

    await other.goto(`${DASHBOARD_URL}/settings/?ws=${personal}`);
    await other.getByTestId('danger-zone').getByRole('button', { name: 'Delete workspace' }).click();
    const dialog = other.getByRole('alertdialog');
    await dialog.getByLabel("Type the workspace's name to confirm").fill(name);
    await dialog.getByRole('button', { name: 'Delete this workspace' }).click();
    await other.waitForURL((address) => address.pathname.startsWith('/account'), { timeout: WORKSPACE_TIMEOUT_MS });
    const notice = other.getByRole('region', { name: 'No workspace left' });
    await notice.getByText(`${name} was deleted`).waitFor();
    await screenshot(other, 'account-no-workspace');

    await notice.getByRole('button', { name: 'Start a new workspace' }).click();
    await other.waitForURL((address) => address.pathname === '/' && address.searchParams.get('ws') !== null, { timeout: WORKSPACE_TIMEOUT_MS });
    const fresh = new URL(other.url()).searchParams.get('ws')!;
    expect(fresh).not.toBe(personal);
    await other.getByText('No agents yet').waitFor();
    expect((await adminDb().doc(paths.user(alone.uid)).get()).get('personalWorkspaceId')).toBe(fresh);
    expect(otherErrors).toEqual([]);
    await other.context().close();
  });

  test('the invitation page takes the token out of the address bar and offers signing in', async () => {
    const { page: invitee, pageErrors: inviteeErrors } = await openPage(browser);
    const token = 'T'.repeat(43);
    await invitee.goto(`${DASHBOARD_URL}/invitation/?workspace=ws-x&invitation=inv-y#token=${token}`);
    await invitee.getByRole('region', { name: 'Invitation' }).waitFor();
    await invitee.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const address = new URL(invitee.url());
    expect(address.hash).toBe('');
    expect(address.searchParams.get('invitation')).toBe('inv-y');
    expect(await invitee.evaluate(() => window.location.href)).not.toContain(token);
    // Kept for this tab only, under the invitation's name.
    expect(await invitee.evaluate(() => window.sessionStorage.getItem('vigil:invitation-token:ws-x:inv-y'))).toBe(token);
    expect(await seriousAxeViolations(invitee)).toEqual([]);
    expect(inviteeErrors).toEqual([]);
    await invitee.context().close();
    expect(pageErrors).toEqual([]);
  });
});
