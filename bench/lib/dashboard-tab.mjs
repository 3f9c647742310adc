// One dashboard tab left open on the overview for a fleet run: headless Chromium (as
// bench/dashboard-run.mjs drives it) signed in as the run's user. Its reads are the dashboard's own
// count (window.__vigilReads, web/src/lib/data/read-counter.ts: documents delivered by gets and
// listeners, one per empty query, one per count per 1,000 entries): the web SDK talks to the
// Firestore emulator over HTTP, outside the gRPC proxy.
/* global window, document -- page.evaluate callbacks run inside the dashboard page */
import { chromium } from 'playwright-core';
import { chromiumPath } from '../../scripts/lib/chromium.mjs';

const DASHBOARD = 'http://127.0.0.1:5000';
const TIMEOUT_MS = 90_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'];

export async function openOverview(user) {
  const browser = await chromium.launch({ executablePath: chromiumPath() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${DASHBOARD}/signin/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  try {
    await page.getByTestId('overview-stats').waitFor({ timeout: TIMEOUT_MS });
  } catch (error) {
    const text = await page.evaluate(() => document.body?.innerText?.slice(0, 300) ?? '').catch(() => '');
    await browser.close();
    throw new Error(`no overview at ${page.url()} (page errors ${JSON.stringify(errors)}; page text ${JSON.stringify(text)})`, { cause: error });
  }
  // The open-events count arrives last: then the load's reads are all in.
  await page
    .waitForFunction(() => !document.querySelector('[data-testid="stat-open-events"]')?.textContent?.includes('…'), null, { timeout: TIMEOUT_MS })
    .catch(() => undefined);
  const reads = async () => ({ ...(await page.evaluate(() => window.__vigilReads ?? null)), pageErrors: [...errors] });
  const loadReads = await reads();
  return {
    loadReads,
    reads,
    async close() {
      await browser.close();
    },
  };
}
