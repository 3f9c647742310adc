// Signs a real user in through the dashboard in Chromium, against the emulators: the Auth emulator,
// the bootstrapWorkspace callable, Firestore, and the Hosting emulator serving web/out.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createEmulatorUser,
  DASHBOARD_URL,
  fillSignInForm,
  launchBrowser,
  openPage,
  screenshot,
  WORKSPACE_TIMEOUT_MS,
  type TestUser,
} from './support/browser';

const onSignInPage = (url: URL) => /^\/signin\/?$/.test(url.pathname);

describe('dashboard sign-in', () => {
  let browser: Browser;
  let user: TestUser;

  beforeAll(async () => {
    user = await createEmulatorUser();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('a wrong password shows an error and stays on /signin', async () => {
    const { page, pageErrors } = await openPage(browser);
    await page.goto(`${DASHBOARD_URL}/signin`);

    await fillSignInForm(page, { ...user, password: `${user.password}-wrong` });

    const alert = page.getByRole('alert').filter({ hasText: 'Could not sign in' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('do not match');
    expect(new URL(page.url()).pathname).toMatch(/^\/signin\/?$/);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 60_000);

  test('signs in to a new workspace, then signs out back to /signin', async () => {
    const { page, pageErrors } = await openPage(browser);
    await page.goto(`${DASHBOARD_URL}/signin`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await screenshot(page, 'signin');

    await fillSignInForm(page, user);
    await page.waitForURL((url) => url.pathname === '/');

    const workspaceName = page.getByTestId('workspace-name');
    await workspaceName.waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect((await workspaceName.textContent())?.trim()).not.toBe('');
    expect(await page.getByTestId('signed-in-email').textContent()).toBe(user.email);
    await page.getByText('No agents yet').waitFor();
    await screenshot(page, 'home');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(onSignInPage);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('a remembered workspace that no longer opens falls back to the user’s own', async () => {
    const { page, pageErrors } = await openPage(browser);
    await page.goto(`${DASHBOARD_URL}/signin`);
    await fillSignInForm(page, user);
    const workspaceName = page.getByTestId('workspace-name');
    await workspaceName.waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    const ownName = await workspaceName.textContent();
    // As if the user had been removed from the workspace this browser last showed.
    await page.evaluate((uid) => localStorage.setItem(`vigil:last-workspace:${uid}`, 'a-workspace-gone-since'), user.uid);
    await page.goto(`${DASHBOARD_URL}/`);
    await page.getByTestId('workspace-name').getByText(ownName!, { exact: true }).waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(await page.evaluate((uid) => localStorage.getItem(`vigil:last-workspace:${uid}`), user.uid)).not.toBe('a-workspace-gone-since');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('a link opened while signed out comes back to its page after signing in', async () => {
    const { page, pageErrors } = await openPage(browser);
    await page.goto(`${DASHBOARD_URL}/settings/`);
    await page.waitForURL(onSignInPage);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/settings/');
    await fillSignInForm(page, user);
    await page.waitForURL((url) => url.pathname === '/settings/');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
