// The overview against the emulators, from the fleet summary the summarizeFleets schedule writes:
// a workspace whose first summary is not written yet says so, then shows the figures as soon as the
// schedule has run (the listener, no reload); a load reads at most 10 documents with 200 agents,
// counted by the dashboard's own read counter (web/src/lib/data/read-counter.ts).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReadCounter } from '../src/lib/data/read-counter';
import { createEmulatorUser, DASHBOARD_URL, launchBrowser, openPage, screenshot, signIn, TRIGGER_TIMEOUT_MS, type TestUser } from './support/browser';
import { seedFleet, summarizeFleetsNow, type SeededAgent } from './support/fleet';

const AGENTS = 200;
const EVENTS = 30;
/** The budget per overview load, whatever the fleet's size. */
const READS_PER_LOAD = 10;

describe('overview', { timeout: 180_000 }, () => {
  let browser: Browser;
  let user: TestUser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;
  let fleet: SeededAgent[];

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('overview');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
    fleet = await seedFleet(workspaceId, AGENTS, EVENTS);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const overviewUrl = () => `${DASHBOARD_URL}/?ws=${workspaceId}`;

  test('before the first summary it says the agents are being counted, then shows the figures without a reload', async () => {
    await page.goto(overviewUrl());
    await page.getByText('Counting your agents').waitFor();
    await summarizeFleetsNow();

    const stats = page.getByTestId('overview-stats');
    await stats.waitFor({ timeout: TRIGGER_TIMEOUT_MS });
    const count = (status: SeededAgent['status']) => fleet.filter((agent) => agent.status === status).length;
    const passed = fleet.reduce((sum, agent) => sum + agent.testsPassed, 0);
    const failed = fleet.reduce((sum, agent) => sum + agent.testsFailed, 0);
    const failing = fleet.filter((agent) => agent.testsFailed > 0).length;
    expect(await page.getByTestId('stat-online').textContent()).toContain(`${count('online')}of ${AGENTS} agents`);
    expect(await page.getByTestId('stat-offline').textContent()).toContain(String(count('offline')));
    expect(await page.getByTestId('stat-never-seen').textContent()).toContain(String(count('never-seen')));
    expect(await page.getByTestId('stat-solutions').textContent()).toContain('3 kinds');
    expect(await page.getByTestId('stat-tests').textContent()).toContain(`${passed} / ${passed + failed}${failed} failing on ${failing} agents`);
    // The attention list: at most 10, the agents with most failing tests first.
    const listed = page.getByTestId('attention-list').getByRole('listitem');
    expect(await listed.count()).toBe(10);
    expect(await listed.first().textContent()).toMatch(/3 failing tests/);
    await page.getByRole('img').first().waitFor();
    await screenshot(page, 'overview-summary');
  });

  test(`a load reads at most ${READS_PER_LOAD} documents with ${AGENTS} agents: never the agents collection`, async () => {
    await page.goto(overviewUrl());
    await page.getByTestId('overview-stats').waitFor();
    await page.getByTestId('latest-events').waitFor();
    // The open-events count is the last read of the load.
    await expect.poll(() => page.getByTestId('stat-open-events').textContent()).not.toContain('…');
    expect(await page.getByTestId('stat-open-events').textContent()).toContain(String(EVENTS - Math.ceil(EVENTS / 3)));
    // Wait on the condition, not a clock: the summary and the 5 latest events have been delivered.
    const counted = () => page.evaluate(() => (window as { __vigilReads?: ReadCounter }).__vigilReads);
    await expect.poll(async () => (await counted())?.documents ?? 0).toBeGreaterThanOrEqual(6);
    const reads = await counted();
    expect(reads, JSON.stringify(reads)).toBeDefined();
    expect(reads!.reads, JSON.stringify(reads)).toBeLessThanOrEqual(READS_PER_LOAD);
    // The summary and the 5 latest events were among them.
    expect(reads!.documents, JSON.stringify(reads)).toBeGreaterThanOrEqual(6);
  });

  test('no page threw along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
