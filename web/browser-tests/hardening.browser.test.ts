// The dashboard's side of the hardening work (issue #11), in Chromium against the emulators: the
// sign-in redirect stays on this site, Hosting serves security headers and the pages work under the
// CSP, email verification and password reset, agent-supplied names of Object.prototype members in
// the URL, and the agent's clock skew on its health panel.
import { DEFAULT_WORKSPACE_SETTINGS, paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import { oobCodesFor, resetPasswordWithCode } from './support/auth-emulator';
import {
  createEmulatorUser,
  DASHBOARD_URL,
  fillSignInForm,
  horizontalOverflow,
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signIn,
  UI_TIMEOUT_MS,
  WORKSPACE_TIMEOUT_MS,
  type TestUser,
} from './support/browser';

const DASHBOARD_ORIGIN = new URL(DASHBOARD_URL).origin;

/** The workspace the overview shows, from its navigation links. */
async function shownWorkspaceId(page: Page): Promise<string> {
  const href = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
  return new URL(href!, DASHBOARD_URL).searchParams.get('ws')!;
}

/** Records every CSP violation the page reports, from before its first script runs. */
async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

describe('dashboard hardening', { timeout: 180_000 }, () => {
  let browser: Browser;
  let user: TestUser;

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('hardening');
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('a sign-in link whose next hides another host (/\\t/evil.example/) lands on the dashboard', async () => {
    const { page, pageErrors } = await openPage(browser);
    // Should the dashboard send the browser there, the test sees it arrive instead of a DNS error.
    await page.route(/^https?:\/\/evil\.example\//, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' }));
    await page.goto(`${DASHBOARD_URL}/signin/?next=%2F%09%2Fevil.example%2F`);
    await fillSignInForm(page, user);
    await page
      .getByTestId('workspace-name')
      .or(page.getByRole('heading', { name: 'evil' }))
      .waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(new URL(page.url()).origin).toBe(DASHBOARD_ORIGIN);
    expect(new URL(page.url()).pathname).toBe('/');

    // Signed in already, the same link redirects at once: still here.
    for (const next of ['%2F%09%2Fevil.example%2F', '%2F%5C%2Fevil.example', '%2F.%2F%2Fevil.example', 'https%3A%2F%2Fevil.example%2F']) {
      await page.goto(`${DASHBOARD_URL}/signin/?next=${next}`);
      await page
        .getByTestId('workspace-name')
        .or(page.getByRole('heading', { name: 'evil' }))
        .waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
      expect(new URL(page.url()).origin, next).toBe(DASHBOARD_ORIGIN);
    }
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  test('Hosting serves the security headers on pages and assets', async () => {
    for (const path of ['/', '/signin/', '/install.sh']) {
      const response = await fetch(`${DASHBOARD_URL}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy'), path).toContain('camera=()');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  test('sign-in and the overview work under the CSP, which blocks an injected inline script', async () => {
    const { page, pageErrors } = await openPage(browser);
    const violations = await recordCspViolations(page);
    await signIn(page, user);
    await page.getByText('No agents yet').waitFor();
    await page.goto(`${DASHBOARD_URL}/agents/`);
    await page.getByRole('button', { name: 'Create agent' }).waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(await violations()).toEqual([]);

    // The policy is in force: markup that slipped into the page could not run a script.
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__vigilInline = true';
      document.head.append(script);
      return (window as unknown as { __vigilInline?: boolean }).__vigilInline === true;
    });
    expect(ran).toBe(false);
    expect((await violations()).some((line) => line.startsWith('script-src'))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  test('a new account is asked to verify its address until it has, and can resend the email', async () => {
    const email = `verify-${Date.now()}@vigil.test`;
    const { page, pageErrors } = await openPage(browser);
    await page.goto(`${DASHBOARD_URL}/signin/`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a-new-password-1');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });

    const banner = page.getByTestId('verify-email-banner');
    await banner.getByText(email).waitFor();
    await expect.poll(async () => (await oobCodesFor(email, 'VERIFY_EMAIL')).length, { timeout: UI_TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'verify-email-banner');
    // The banner is on every page of an unverified account: it must pass axe and fit a phone.
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });

    await banner.getByRole('button', { name: 'Resend the email' }).click();
    await banner.getByText('Sent again').waitFor();
    await expect.poll(async () => (await oobCodesFor(email, 'VERIFY_EMAIL')).length, { timeout: UI_TIMEOUT_MS }).toBe(2);

    // Refreshing before the link is opened changes nothing.
    await banner.getByRole('button', { name: 'I’ve verified: refresh' }).click();
    await banner.getByText('not verified yet').waitFor();

    // The user opens the newest link from the email (the emulator's action page applies the code).
    const codes = await oobCodesFor(email, 'VERIFY_EMAIL');
    const action = await page.context().newPage();
    await action.goto(codes.at(-1)!.oobLink);
    await action.close();

    await banner.getByRole('button', { name: 'I’ve verified: refresh' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(await page.getByTestId('verify-email-banner').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  test('"Forgot password?" sends a reset link without telling whether the address exists, and the link works', async () => {
    const { page, pageErrors } = await openPage(browser);
    const neutral = 'If an account exists for that address, we have sent it a link to choose a new password.';

    await page.goto(`${DASHBOARD_URL}/signin/`);
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(`nobody-${Date.now()}@vigil.test`);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').getByText(neutral).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Could not send the reset link' }).count()).toBe(0);

    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').getByText(neutral).waitFor();
    await expect.poll(async () => (await oobCodesFor(user.email, 'PASSWORD_RESET')).length, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(0);

    const [code] = (await oobCodesFor(user.email, 'PASSWORD_RESET')).slice(-1);
    const newPassword = `${user.password}-new`;
    await resetPasswordWithCode(code!.oobCode, newPassword);
    user = { ...user, password: newPassword };

    await page.getByRole('button', { name: 'Back to sign in' }).click();
    await fillSignInForm(page, user);
    await page.getByTestId('workspace-name').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  describe('an agent written as ingest writes it', () => {
    let page: Page;
    let pageErrors: string[];
    let cspViolations: () => Promise<string[]>;
    let workspaceId: string;
    const agentId = `hardening-${Date.now()}`;

    beforeAll(async () => {
      ({ page, pageErrors } = await openPage(browser));
      cspViolations = await recordCspViolations(page);
      await signIn(page, user);
      workspaceId = await shownWorkspaceId(page);
      const db = adminDb();
      const now = Timestamp.now();
      await db
        .doc(paths.workspace(workspaceId))
        .get()
        .then((doc) => expect(doc.get('settings')).toBeDefined());
      await db.doc(paths.agent(workspaceId, agentId)).set({
        name: 'skewed-1',
        description: '',
        status: 'online',
        createdAt: now,
        createdBy: user.uid,
        intervalSeconds: DEFAULT_WORKSPACE_SETTINGS.reportingIntervalSeconds,
        keyId: null,
        keyPrefix: null,
        revokedAt: null,
        lastSeenAt: now,
        lastReportId: 'r1',
        agentVersion: '0.1.0',
        host: { hostname: 'skewed-1.example' },
        summary: { solutions: ['sshd'], testsPassed: 1, testsFailed: 0 },
        clockSkewSeconds: 15 * 60,
        health: { uptimeSeconds: 60, pluginErrors: 0, plugins: [], crashes: 0 },
      });
      await db.doc(paths.agentState(workspaceId, agentId)).set({
        reportId: 'r1',
        collectedAt: new Date().toISOString(),
        updatedAt: now,
        solutions: {
          sshd: {
            version: null,
            configuration: { permitrootlogin: 'no' },
            metrics: {},
            tests: [{ id: 'root-login-disabled', type: 'security', passed: true, message: 'ok', durationMs: 1 }],
            errors: [],
            testAlerts: {},
          },
        },
        history: [],
      });
    });

    afterAll(async () => {
      await page?.context().close();
    });

    test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
      'the solution page for ?solution=%s says it is not on the agent',
      async (solution) => {
        await page.goto(`${DASHBOARD_URL}/solution/?${new URLSearchParams({ ws: workspaceId, agent: agentId, solution }).toString()}`);
        await page.getByText('Not on this agent now').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(solution);
        // The real solution of the same agent still opens.
        await page.goto(`${DASHBOARD_URL}/solution/?${new URLSearchParams({ ws: workspaceId, agent: agentId, solution: 'sshd' }).toString()}`);
        await page.locator('[data-test-id="root-login-disabled"]').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
        expect(pageErrors).toEqual([]);
      },
    );

    test('the health panel shows a clock 15 minutes ahead as a warning, with what it means', async () => {
      await page.goto(`${DASHBOARD_URL}/agent/?${new URLSearchParams({ ws: workspaceId, agent: agentId }).toString()}`);
      const skew = page.getByTestId('clock-skew');
      await skew.waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
      expect(await skew.getAttribute('data-warning')).toBe('true');
      expect(await skew.textContent()).toContain('15 min ahead of the server');
      expect(await skew.textContent()).toContain('Reports collected more than 5 minutes in the future are timed at receipt.');
      await screenshot(page, 'agent-clock-skew');

      await adminDb().doc(paths.agent(workspaceId, agentId)).update({ clockSkewSeconds: -2 });
      await page.getByTestId('clock-skew').getByText('2 s behind the server').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await page.getByTestId('clock-skew').getAttribute('data-warning')).toBe('false');
      expect(pageErrors).toEqual([]);
      // The agent and solution pages (charts, live reads) ran under the CSP without a violation.
      expect(await cspViolations()).toEqual([]);
    });
  });
});
