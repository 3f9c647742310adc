// Teams end to end against the emulators (#14): an owner invites a second address as a viewer from
// the Members page; the invitee signs up in another browser context, verifies the address (the Auth
// emulator's out-of-band link), opens the link from the invitation email (the mail sink) and
// accepts; as a viewer they see the fleet but no way to change it, and a direct write is refused by
// the rules; the owner makes them an admin (they can manage now), then removes them, and they lose
// access at once. Each step is on the Activity page at the end. Then a member leaves (landing on
// their own workspace), and a pending invitation is resent and revoked.
import { DEFAULT_NOTIFICATION_PREFERENCES, paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import { latestLink } from '../../tests/support/teams';
import { oobCodesFor } from './support/auth-emulator';
import {
  createEmulatorUser,
  DASHBOARD_URL,
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signIn,
  UI_TIMEOUT_MS,
  WORKSPACE_TIMEOUT_MS,
  type TestUser,
} from './support/browser';
import { seedFleet } from './support/fleet';

const authEmulatorHost = process.env.FIREBASE_AUTH_EMULATOR_HOST!;
const firestoreEmulatorHost = process.env.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8080';
const AGENTS = 3;

/** A write straight to Firestore's REST API as `user` (what a tampered dashboard could send). */
async function renameWorkspaceAs(user: { email: string; password: string }, workspaceId: string): Promise<number> {
  const signedIn = await fetch(`http://${authEmulatorHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, returnSecureToken: true }),
  });
  const { idToken } = (await signedIn.json()) as { idToken: string };
  const url = `http://${firestoreEmulatorHost}/v1/projects/demo-vigil/databases/(default)/documents/${paths.workspace(workspaceId)}?updateMask.fieldPaths=name`;
  const response = await fetch(url, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ fields: { name: { stringValue: 'taken over' } } }),
  });
  return response.status;
}

describe('teams: invite, accept, roles, removal', { timeout: 300_000 }, () => {
  let browser: Browser;
  let owner: TestUser;
  let ownerPage: Page;
  let ownerErrors: string[];
  let inviteePage: Page;
  let inviteeErrors: string[];
  let workspaceId: string;
  const invitee = { email: `teams-invitee-${Date.now()}@vigil.test`, password: 'invitee-password-1' };

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await createEmulatorUser('teams-owner');
    ({ page: ownerPage, pageErrors: ownerErrors } = await openPage(browser));
    ({ page: inviteePage, pageErrors: inviteeErrors } = await openPage(browser));
    await signIn(ownerPage, owner);
    const agentsLink = await ownerPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Agents', exact: true })
      .getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
    await seedFleet(workspaceId, AGENTS);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const membersUrl = () => `${DASHBOARD_URL}/members/?ws=${workspaceId}`;
  const memberRow = (page: Page, email: string) => page.getByTestId('member-row').filter({ hasText: email });

  test('the owner opens Members from the navigation and invites a viewer', async () => {
    await ownerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members', exact: true }).click();
    await ownerPage.waitForURL((url) => url.pathname === '/members/' && url.searchParams.get('ws') === workspaceId);
    const own = memberRow(ownerPage, owner.email);
    await own.getByText('you', { exact: true }).waitFor();
    // The only owner: no role to change, nobody to remove, and leaving disabled with the server's reason.
    expect(await own.getByTestId('member-role').textContent()).toBe('Owner');
    expect(await own.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    const leaveButton = own.getByRole('button', { name: 'Leave workspace' });
    expect(await leaveButton.getAttribute('aria-disabled')).toBe('true');
    await leaveButton.click({ force: true });
    expect(await ownerPage.getByRole('alertdialog').count()).toBe(0);
    expect(await own.getByTestId('leave-refusal').textContent()).toContain('You are the last owner of this workspace');
    expect(await leaveButton.getAttribute('aria-describedby')).toBe(await own.getByTestId('leave-refusal').getAttribute('id'));

    await ownerPage.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Email').fill(invitee.email);
    await dialog.getByLabel('Role').selectOption('viewer');
    // What the Invite dialog offers an owner: every role.
    expect(await dialog.getByLabel('Role').locator('option').allTextContents()).toEqual(['Owner', 'Admin', 'Viewer']);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await ownerPage.getByText(`Invitation sent to ${invitee.email} as viewer.`).waitFor();
    const pending = ownerPage.getByTestId('invitation-row').filter({ hasText: invitee.email });
    await pending.waitFor();
    expect(await pending.locator('td').nth(1).textContent()).toBe('Viewer');
    expect(await pending.locator('td').nth(2).textContent()).toBe(owner.email);

    // Inviting a member's address again is refused with the server's sentence, shown in the dialog.
    await ownerPage.getByRole('button', { name: 'Invite', exact: true }).click();
    await dialog.getByLabel('Email').fill(owner.email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.getByText('This address is already a member of this workspace.', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await screenshot(ownerPage, 'members-owner');
    expect(await seriousAxeViolations(ownerPage)).toEqual([]);
    await ownerPage.setViewportSize({ width: 390, height: 844 });
    await screenshot(ownerPage, 'members-owner-phone');
    // The page's own content fits a phone (its tables scroll inside themselves). The header above it
    // is the shell's, checked by the shell's own tests.
    const main = await ownerPage.evaluate(() => {
      const element = document.querySelector('main')!;
      return { overflow: element.scrollWidth - element.clientWidth, right: element.getBoundingClientRect().right };
    });
    expect(main.overflow).toBe(0);
    expect(main.right).toBeLessThanOrEqual(390);
    await ownerPage.setViewportSize({ width: 1280, height: 800 });
  });

  test('the invitee signs up, verifies the address, opens the emailed link and accepts', async () => {
    await inviteePage.goto(`${DASHBOARD_URL}/signin/`);
    await inviteePage.getByRole('button', { name: 'Create an account' }).click();
    await inviteePage.getByLabel('Email').fill(invitee.email);
    await inviteePage.getByLabel('Password').fill(invitee.password);
    await inviteePage.getByRole('button', { name: 'Create account', exact: true }).click();
    await inviteePage.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    await expect.poll(async () => (await oobCodesFor(invitee.email, 'VERIFY_EMAIL')).length, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(0);
    const action = await inviteePage.context().newPage();
    await action.goto((await oobCodesFor(invitee.email, 'VERIFY_EMAIL')).at(-1)!.oobLink);
    await action.close();
    await inviteePage.getByRole('button', { name: 'I’ve verified: refresh' }).click();
    await inviteePage.getByTestId('verify-email-banner').waitFor({ state: 'detached' });

    // The email's link, on this dashboard (the emulators' DASHBOARD_URL is the dev server's).
    const link = await latestLink(invitee.email);
    await inviteePage.goto(`${DASHBOARD_URL}/invitation/?workspace=${workspaceId}&invitation=${link.invitationId}#token=${link.token}`);
    await inviteePage.getByRole('button', { name: 'Accept invitation' }).click();
    await inviteePage.waitForURL((url) => url.pathname === '/' && url.searchParams.get('ws') === workspaceId, { timeout: WORKSPACE_TIMEOUT_MS });
    await inviteePage.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    // Accepted: the token kept for this tab is gone.
    const tokenKey = `vigil:invitation-token:${workspaceId}:${link.invitationId}`;
    expect(await inviteePage.evaluate((key) => window.sessionStorage.getItem(key), tokenKey)).toBeNull();
  });

  test('as a viewer they see the fleet and members but cannot change anything, and a direct write is refused', async () => {
    await inviteePage.goto(`${DASHBOARD_URL}/agents/?ws=${workspaceId}`);
    await expect.poll(() => inviteePage.getByTestId('agent-row').count(), { timeout: UI_TIMEOUT_MS }).toBe(AGENTS);
    expect(await inviteePage.getByRole('button', { name: 'Create agent' }).count()).toBe(0);
    expect(await inviteePage.getByRole('columnheader', { name: 'Manage' }).count()).toBe(0);
    expect(await inviteePage.getByRole('button', { name: /^(Rotate key|Revoke|Delete) / }).count()).toBe(0);

    await inviteePage.goto(membersUrl());
    await memberRow(inviteePage, invitee.email).getByText('you', { exact: true }).waitFor();
    expect(await inviteePage.getByTestId('workspace-role').textContent()).toBe('Viewer');
    // No invitations section, no Invite button, no role select or Remove on anyone; only their own Leave.
    expect(await inviteePage.getByTestId('invitations-section').count()).toBe(0);
    expect(await inviteePage.getByRole('button', { name: 'Invite', exact: true }).count()).toBe(0);
    expect(await inviteePage.getByTestId('members-section').getByRole('combobox').count()).toBe(0);
    expect(await inviteePage.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await inviteePage.getByRole('button', { name: 'Leave workspace' }).count()).toBe(1);
    await screenshot(inviteePage, 'members-viewer');

    expect(await renameWorkspaceAs(invitee, workspaceId)).toBe(403);
  });

  test('the owner makes them an admin, who can then manage agents', async () => {
    await ownerPage.goto(membersUrl());
    const row = memberRow(ownerPage, invitee.email);
    await row.waitFor();
    await row.getByLabel(`Role of ${invitee.email}`).selectOption('admin');
    const confirm = ownerPage.getByRole('alertdialog');
    await confirm.getByText(`Make ${invitee.email} an admin?`).waitFor();
    await confirm.getByRole('button', { name: 'Change role' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => row.getByLabel(`Role of ${invitee.email}`).inputValue(), { timeout: UI_TIMEOUT_MS }).toBe('admin');
    // The invitation is no longer pending: it is among the past ones, accepted (the list has loaded
    // once its "past" toggle shows, so the count below is of the list read, not of one still loading).
    await ownerPage.getByRole('button', { name: /^Past invitations/ }).waitFor();
    expect(await ownerPage.getByTestId('invitation-row').filter({ hasText: invitee.email }).count()).toBe(0);
    await ownerPage.getByRole('button', { name: /^Past invitations/ }).click();
    await ownerPage.getByTestId('past-invitations').getByText('Accepted').waitFor();

    await inviteePage.goto(`${DASHBOARD_URL}/agents/?ws=${workspaceId}`);
    await inviteePage.getByRole('button', { name: 'Create agent' }).waitFor();
  });

  test('the owner removes them, and they lose access at once', async () => {
    const row = memberRow(ownerPage, invitee.email);
    await row.getByRole('button', { name: `Remove ${invitee.email}` }).click();
    const confirm = ownerPage.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    expect(await ownerPage.getByTestId('member-row').count()).toBe(1);

    await inviteePage.goto(`${DASHBOARD_URL}/agents/?ws=${workspaceId}`);
    await inviteePage.getByRole('heading', { name: 'This workspace is not available' }).waitFor();
    expect(await inviteePage.getByTestId('agent-row').count()).toBe(0);
    expect(await renameWorkspaceAs(invitee, workspaceId)).toBe(403);
  });

  test('each step is on the Activity page', async () => {
    await ownerPage.goto(`${DASHBOARD_URL}/activity/?ws=${workspaceId}`);
    const entries = ownerPage.getByTestId('audit-entry');
    const actions = () => entries.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-action')));
    await expect
      .poll(actions, { timeout: UI_TIMEOUT_MS })
      .toEqual(expect.arrayContaining(['member.invited', 'invitation.accepted', 'member.role_changed', 'member.removed']));
    // Newest first: the removal, the promotion, the acceptance, the invitation.
    const order = (await actions()).filter((action) =>
      ['member.invited', 'invitation.accepted', 'member.role_changed', 'member.removed'].includes(action ?? ''),
    );
    expect(order).toEqual(['member.removed', 'member.role_changed', 'invitation.accepted', 'member.invited']);
    for (const action of ['member.invited', 'invitation.accepted', 'member.role_changed', 'member.removed']) {
      await ownerPage.getByTestId('audit-feed').getByText(`(${action})`).first().waitFor();
    }
    await screenshot(ownerPage, 'members-activity');
  });

  test('a member who leaves lands on their own workspace and has no access to this one', async () => {
    const leaver = await createEmulatorUser('teams-leaver');
    const { page, pageErrors } = await openPage(browser);
    await signIn(page, leaver);
    const ownLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    const ownWorkspace = new URL(ownLink!, DASHBOARD_URL).searchParams.get('ws')!;
    // A member as acceptInvitation leaves one (the invitation flow itself is tested above).
    await adminDb()
      .doc(paths.member(workspaceId, leaver.uid))
      .set({ role: 'viewer', email: leaver.email, joinedAt: Timestamp.now(), notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES } });

    await page.goto(membersUrl());
    await memberRow(page, leaver.email).getByRole('button', { name: 'Leave workspace' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Leave', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('ws') === ownWorkspace, { timeout: WORKSPACE_TIMEOUT_MS });
    await page.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect((await adminDb().doc(paths.member(workspaceId, leaver.uid)).get()).exists).toBe(false);
    await page.goto(membersUrl());
    await page.getByRole('heading', { name: 'This workspace is not available' }).waitFor();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  test('a pending invitation is resent with a new link, then revoked', async () => {
    const other = `teams-other-${Date.now()}@vigil.test`;
    await ownerPage.goto(membersUrl());
    await ownerPage.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Email').fill(other);
    await dialog.getByLabel('Role').selectOption('admin');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const row = ownerPage.getByTestId('invitation-row').filter({ hasText: other });
    await row.waitFor();
    const first = await latestLink(other);

    await row.getByRole('button', { name: `Resend the invitation of ${other}` }).click();
    await ownerPage.getByText(`A new invitation link was sent to ${other}`).waitFor();
    await expect.poll(() => row.locator('td').nth(4).textContent(), { timeout: UI_TIMEOUT_MS }).toBe('2');
    const second = await latestLink(other, 2);
    expect(second.invitationId).toBe(first.invitationId);
    expect(second.token).not.toBe(first.token);
    // The first email's link no longer works, and says why.
    // Opened by the (verified) invitee of earlier: the token is checked before the address.
    const stale = await inviteePage.context().newPage();
    await stale.goto(`${DASHBOARD_URL}/invitation/?workspace=${workspaceId}&invitation=${first.invitationId}#token=${first.token}`);
    await stale.getByRole('button', { name: 'Accept invitation' }).click();
    await stale.getByText('This invitation link is not valid: it was replaced by a newer email').waitFor();
    await stale.close();

    await row.getByRole('button', { name: `Revoke the invitation of ${other}` }).click();
    await ownerPage.getByRole('alertdialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    await ownerPage.getByRole('button', { name: /^Past invitations/ }).click();
    await ownerPage.getByTestId('past-invitations').getByRole('listitem').filter({ hasText: other }).getByText('Revoked').waitFor();

    await ownerPage.goto(`${DASHBOARD_URL}/activity/?ws=${workspaceId}`);
    const actions = () => ownerPage.getByTestId('audit-entry').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-action')));
    await expect.poll(actions, { timeout: UI_TIMEOUT_MS }).toEqual(expect.arrayContaining(['invitation.resent', 'invitation.revoked']));
    expect(ownerErrors).toEqual([]);
    expect(inviteeErrors).toEqual([]);
  });
});
