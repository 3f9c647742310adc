// The events page's label filter against the emulators: events of two agents with different labels
// (written with the Admin SDK as the functions leave them, labelPairs included), the filter typed
// as key=value shows only one agent's and lives in the link, a bad label is refused with its reason
// and changes nothing, a label and a solution together are refused, and a label holding markup is
// shown as text.
import { paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import { createEmulatorUser, DASHBOARD_URL, launchBrowser, openPage, screenshot, signIn, type TestUser } from './support/browser';

const MARKUP = '<b>bold</b><img src=x onerror="window.__labelXss=1">';

interface SeededEvent {
  id: string;
  agentId: string;
  agentName: string;
  labelPairs: string[];
}

const EVENTS: SeededEvent[] = [
  { id: 'labels-prod-1', agentId: 'agent-prod', agentName: 'prod-web', labelPairs: ['env=prod', `note=${MARKUP}`, 'role=web'] },
  { id: 'labels-prod-2', agentId: 'agent-prod', agentName: 'prod-web', labelPairs: ['env=prod', `note=${MARKUP}`, 'role=web'] },
  { id: 'labels-staging-1', agentId: 'agent-staging', agentName: 'staging-web', labelPairs: ['env=staging', 'role=web'] },
];

async function seed(workspaceId: string): Promise<void> {
  const db = adminDb();
  const now = Date.now();
  await Promise.all(
    EVENTS.map((event, index) =>
      db.doc(paths.event(workspaceId, event.id)).set({
        kind: 'agent_offline',
        agentId: event.agentId,
        agentName: event.agentName,
        hostname: `${event.agentName}.example`,
        solutionIds: [],
        labelPairs: event.labelPairs,
        reportId: null,
        createdAt: Timestamp.fromMillis(now - index * 60_000),
        occurredAt: new Date(now - index * 60_000).toISOString(),
        details: { lastSeenAt: new Date(now - 3_600_000).toISOString(), missedIntervals: 4 },
        acknowledgedAt: null,
        acknowledgedBy: null,
        email: { state: 'sent', at: null, error: null },
      }),
    ),
  );
}

describe('events page label filter', { timeout: 180_000 }, () => {
  let browser: Browser;
  let user: TestUser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('event-labels');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const link = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events', exact: true }).getAttribute('href');
    workspaceId = new URL(link!, DASHBOARD_URL).searchParams.get('ws')!;
    await seed(workspaceId);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const cards = () => page.getByTestId('event-card');
  /** Each card's agent, its first link. */
  const agentNames = () => cards().evaluateAll((nodes) => nodes.map((node) => node.querySelector('a')?.textContent ?? ''));

  test('filters by one label on the server, keeps it in the link, and shows labels as text', async () => {
    await page.goto(`${DASHBOARD_URL}/events/?ws=${workspaceId}`);
    await expect.poll(() => cards().count(), { timeout: 15_000 }).toBe(3);
    const field = page.getByRole('searchbox', { name: 'Label' });

    // A bad label: its reason under the field, the link and the feed unchanged.
    await field.fill('Env=prod');
    await page.getByText(/Not a label filter: the key must start with a lower-case letter/).waitFor();
    await field.press('Enter');
    expect(new URL(page.url()).searchParams.has('label')).toBe(false);
    expect(await cards().count()).toBe(3);

    await field.fill('env=prod');
    await field.press('Enter');
    await page.waitForURL((address) => address.searchParams.get('label') === 'env=prod');
    await expect.poll(agentNames, { timeout: 15_000 }).toEqual(['prod-web', 'prod-web']);
    // One array-contains per query: the solution filter is off while a label is on.
    expect(await page.getByLabel('Solution').isDisabled()).toBe(true);

    // The label holding markup is text in its chip: no element was made of it, no script ran.
    const chips = cards().first().getByTestId('event-labels');
    expect(await chips.textContent()).toContain(`note=${MARKUP}`);
    expect(await chips.locator('b, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __labelXss?: number }).__labelXss)).toBeUndefined();
    await screenshot(page, 'events-label-filter');

    // The link alone filters the same; another label shows the other agent's.
    await page.reload();
    await expect.poll(() => field.inputValue()).toBe('env=prod');
    await expect.poll(agentNames, { timeout: 15_000 }).toEqual(['prod-web', 'prod-web']);
    await field.fill('env=staging');
    await field.press('Enter');
    await expect.poll(agentNames, { timeout: 15_000 }).toEqual(['staging-web']);
    expect(await cards().getByTestId('event-labels').textContent()).toBe('env=stagingrole=web');

    // Emptying the field is every label again.
    await field.fill('');
    await field.press('Enter');
    await page.waitForURL((address) => !address.searchParams.has('label'));
    await expect.poll(() => cards().count(), { timeout: 15_000 }).toBe(3);
  });

  test('a link asking a label and a solution, or a bad label, says why and reads nothing', async () => {
    await page.goto(`${DASHBOARD_URL}/events/?ws=${workspaceId}&label=env%3Dprod&solution=nginx`);
    await page.getByText('These filters cannot be used').waitFor();
    await page.getByText(/Filter by a solution or by a label, not both/).waitFor();
    expect(await cards().count()).toBe(0);

    await page.goto(`${DASHBOARD_URL}/events/?ws=${workspaceId}&label=env`);
    await page.getByText('These filters cannot be used').waitFor();
    expect(await cards().count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
