// Launching Chromium against the emulators, and the steps every browser test takes: a fresh user,
// signing in through the form, screenshots, layout and accessibility checks.
import axe from 'axe-core';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

const authEmulatorHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
if (!authEmulatorHost) {
  throw new Error(
    'FIREBASE_AUTH_EMULATOR_HOST is not set: browser tests need the emulators. ' +
      'Run them with `node scripts/emulators.mjs exec -- npx vitest run --project browser`.',
  );
}

export const DASHBOARD_URL = (process.env.DASHBOARD_URL ?? 'http://127.0.0.1:5000').replace(/\/$/, '');
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
/** The first data may wait for a callable that starts the functions runtime cold. */
export const WORKSPACE_TIMEOUT_MS = 45_000;
/** A report becomes state and events in a Firestore trigger, which the emulator runs slowly. */
export const TRIGGER_TIMEOUT_MS = 60_000;
export const UI_TIMEOUT_MS = 15_000;

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

export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface TestUser {
  email: string;
  password: string;
  uid: string;
}

export async function createEmulatorUser(prefix = 'browser'): Promise<TestUser> {
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const credentials = { email: `${prefix}-${suffix}@vigil.test`, password: `pw-${suffix}` };
  const response = await fetch(`http://${authEmulatorHost}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...credentials, returnSecureToken: true }),
  });
  if (!response.ok) throw new Error(`Auth emulator signUp failed: ${response.status} ${await response.text()}`);
  const { localId } = (await response.json()) as { localId: string };
  return { ...credentials, uid: localId };
}

export interface OpenedPage {
  page: Page;
  /** Uncaught exceptions in the page: a test ends by asserting there were none. */
  pageErrors: string[];
}

export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { page, pageErrors };
}

export async function fillSignInForm(page: Page, user: Pick<TestUser, 'email' | 'password'>): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in through the form and waits for the overview of the user's workspace. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto(`${DASHBOARD_URL}/signin/`);
  await fillSignInForm(page, user);
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** How far the page is wider than the viewport, in CSS pixels (0: no sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy does not govern
  // (a <script> tag with axe inline would be refused: script-src allows only the pages' own hashes).
  if (!hasAxe) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        nodes: violation.nodes.slice(0, 5).map((node) => ({
          target: node.target.join(' '),
          html: node.html.slice(0, 200),
          summary: (node.failureSummary ?? '').slice(0, 300),
        })),
      }));
  });
}
