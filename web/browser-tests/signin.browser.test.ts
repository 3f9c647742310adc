// Signs a real user in through the dashboard in Chromium, against the emulators:
// the Auth emulator, the bootstrapWorkspace callable, Firestore, and the Hosting
// emulator serving web/out.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const authEmulatorHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
if (!authEmulatorHost) {
  throw new Error(
    'FIREBASE_AUTH_EMULATOR_HOST is not set: browser tests need the emulators. ' +
      'Run them with `node scripts/emulators.mjs exec -- npx vitest run --project browser`.',
  );
}

const DASHBOARD_URL = (process.env.DASHBOARD_URL ?? 'http://127.0.0.1:5000').replace(/\/$/, '');
const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
// The workspace appears after a callable that may start the functions runtime cold.
const WORKSPACE_TIMEOUT_MS = 45_000;
const UI_TIMEOUT_MS = 15_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface TestUser {
  email: string;
  password: string;
}

async function createEmulatorUser(): Promise<TestUser> {
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const user = { email: `browser-${suffix}@vigil.test`, password: `pw-${suffix}` };
  const response = await fetch(
    `http://${authEmulatorHost}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, returnSecureToken: true }),
    },
  );
  if (!response.ok) {
    throw new Error(`Auth emulator signUp failed: ${response.status} ${await response.text()}`);
  }
  return user;
}

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

const onSignInPage = (url: URL) => /^\/signin\/?$/.test(url.pathname);
const onHomePage = (url: URL) => url.pathname === '/';

async function fillSignInForm(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('dashboard sign-in', () => {
  let browser: Browser;
  let user: TestUser;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    user = await createEmulatorUser();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function openPage(): Promise<{ page: Page; pageErrors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { page, pageErrors };
  }

  test('a wrong password shows an error and stays on /signin', async () => {
    const { page, pageErrors } = await openPage();
    await page.goto(`${DASHBOARD_URL}/signin`);

    await fillSignInForm(page, user.email, `${user.password}-wrong`);

    const alert = page.getByRole('alert').filter({ hasText: 'Could not sign in' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('do not match');
    expect(pathOf(page)).toMatch(/^\/signin\/?$/);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 60_000);

  test('signs in to the workspace, then signs out back to /signin', async () => {
    const { page, pageErrors } = await openPage();
    await page.goto(`${DASHBOARD_URL}/signin`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}signin.png`, fullPage: true });

    await fillSignInForm(page, user.email, user.password);
    await page.waitForURL(onHomePage);

    const workspaceName = page.getByTestId('workspace-name');
    await workspaceName.waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect((await workspaceName.textContent())?.trim()).not.toBe('');
    const email = page.getByTestId('signed-in-email');
    await email.waitFor();
    expect(await email.textContent()).toBe(user.email);
    await page.screenshot({ path: `${SCREENSHOT_DIR}home.png`, fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(onSignInPage);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
