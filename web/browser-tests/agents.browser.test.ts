// The agents page and the events page's agent search against the emulators, with 60 agents written
// straight into Firestore (Admin SDK, as ingest and the callables leave them): a page reads at most
// its size and a few more documents (the dashboard's own read counter,
// web/src/lib/data/read-counter.ts), the next page shows the next names, each filter runs on the
// server and finds the right agents, the events page finds an agent by the start of its name
// without reading every agent, and the solution page charts the agent document's metrics.
import { paths, type EventKind } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import type { ReadCounter } from '../src/lib/data/read-counter';
import { AGENT_SEARCH_LIMIT, AGENTS_PAGE_SIZE } from '../src/lib/domain/agent-filters';
import { createEmulatorUser, DASHBOARD_URL, launchBrowser, openPage, screenshot, signIn, type TestUser } from './support/browser';

/** Beyond the page itself: the session's documents (profile, workspace, member), the count, the one extra agent that says a next page exists. */
const READS_BESIDES_THE_PAGE = 8;

interface SeededAgent {
  id: string;
  name: string;
  status: 'online' | 'offline' | 'never-seen';
  revoked: boolean;
  testsFailed: number;
}

/** 58 hosts named host-00…host-57 with a fixed mix of statuses, revocations and failures, and two names that differ only in case. */
function fleet(): SeededAgent[] {
  const hosts = Array.from({ length: 58 }, (_, index): SeededAgent => {
    const number = String(index).padStart(2, '0');
    return {
      id: `agent-${number}`,
      name: `host-${number}`,
      status: index === 7 ? 'never-seen' : index % 3 === 2 ? 'offline' : 'online',
      // A revoked agent keeps the status it had: these two were online and offline.
      revoked: index === 10 || index === 20,
      testsFailed: index % 8 === 1 ? 1 + (index % 3) : 0,
    };
  });
  return [
    ...hosts,
    { id: 'agent-web-upper', name: 'Web-A', status: 'online', revoked: false, testsFailed: 0 },
    { id: 'agent-web-lower', name: 'web-b', status: 'offline', revoked: false, testsFailed: 2 },
  ];
}

/** Firestore orders names by their UTF-8 bytes: for these ASCII names, JavaScript's default sort. */
const byName = (agents: SeededAgent[]) => agents.map((agent) => agent.name).sort();

async function seed(workspaceId: string, agents: SeededAgent[]): Promise<void> {
  const db = adminDb();
  const writer = db.bulkWriter();
  const now = Date.now();
  const writes = agents.map((agent) =>
    writer.set(db.doc(paths.agent(workspaceId, agent.id)), {
      name: agent.name,
      description: '',
      status: agent.status,
      createdAt: Timestamp.fromMillis(now - 86_400_000),
      createdBy: 'browser-test',
      intervalSeconds: 300,
      keyId: null,
      keyPrefix: null,
      revokedAt: agent.revoked ? Timestamp.fromMillis(now - 3_600_000) : null,
      lastSeenAt: agent.status === 'never-seen' ? null : Timestamp.fromMillis(now - (agent.status === 'offline' ? 7_200_000 : 60_000)),
      lastReportId: null,
      agentVersion: agent.status === 'never-seen' ? null : '0.1.0',
      host: agent.status === 'never-seen' ? null : { hostname: `${agent.name}.example` },
      summary: { solutions: agent.status === 'never-seen' ? [] : ['ufw'], testsPassed: 4, testsFailed: agent.testsFailed },
    }),
  );
  // One event for each of two agents, for the events page's agent filter.
  const kind: EventKind = 'agent_offline';
  for (const [index, agent] of [agents.find((each) => each.name === 'web-b')!, agents[0]!].entries()) {
    writes.push(
      writer.set(db.doc(paths.event(workspaceId, `agents-test-event-${index}`)), {
        kind,
        agentId: agent.id,
        agentName: agent.name,
        hostname: `${agent.name}.example`,
        solutionIds: [],
        reportId: null,
        createdAt: Timestamp.fromMillis(now - index * 60_000),
        details: { lastSeenAt: new Date(now - 3_600_000).toISOString(), missedIntervals: 12 },
        acknowledgedAt: null,
        acknowledgedBy: null,
      }),
    );
  }
  await writer.close();
  await Promise.all(writes);
}

describe('agents list and agent search', { timeout: 180_000 }, () => {
  let browser: Browser;
  let user: TestUser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;
  const agents = fleet();

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('agents');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
    await seed(workspaceId, agents);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const agentsUrl = () => `${DASHBOARD_URL}/agents/?ws=${workspaceId}`;
  const shownNames = () => page.getByTestId('agent-row').getByRole('link').allTextContents();
  /** Waits until the table shows exactly `names`, in that order (a page or a filter is read from the server). */
  const expectShown = (names: string[]) => expect.poll(shownNames, { timeout: 15_000 }).toEqual(names);
  const reads = () => page.evaluate(() => (window as { __vigilReads?: ReadCounter }).__vigilReads);

  test('a page load reads the page and a few documents more, not the 60 agents', async () => {
    await page.goto(agentsUrl());
    await expectShown(byName(agents).slice(0, AGENTS_PAGE_SIZE));
    await expect.poll(() => page.getByTestId('agents-count').textContent()).toMatch(/^60 agents/);
    const counted = await reads();
    expect(counted).toBeDefined();
    // The page itself: AGENTS_PAGE_SIZE agents plus the one that says a next page exists.
    expect(counted!.documents).toBeLessThanOrEqual(AGENTS_PAGE_SIZE + READS_BESIDES_THE_PAGE);
    expect(counted!.reads).toBeLessThanOrEqual(AGENTS_PAGE_SIZE + READS_BESIDES_THE_PAGE);
    expect(counted!.documents).toBeLessThan(agents.length);
    await screenshot(page, 'agents-page-1');
  });

  test('next and previous pages show the next names, by name', async () => {
    const sorted = byName(agents);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectShown(sorted.slice(AGENTS_PAGE_SIZE, 2 * AGENTS_PAGE_SIZE));
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectShown(sorted.slice(2 * AGENTS_PAGE_SIZE));
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expectShown(sorted.slice(AGENTS_PAGE_SIZE, 2 * AGENTS_PAGE_SIZE));
    // Reading page 3 and back again cost pages, never the whole fleet.
    expect((await reads())!.documents).toBeLessThanOrEqual(4 * (AGENTS_PAGE_SIZE + 1) + READS_BESIDES_THE_PAGE);
  });

  test('the status, revoked and failing filters run on the server and find the right agents', async () => {
    await page.goto(agentsUrl());
    await expectShown(byName(agents).slice(0, AGENTS_PAGE_SIZE));
    const status = page.getByLabel('Status');

    await status.selectOption('offline');
    await expectShown(byName(agents.filter((agent) => agent.status === 'offline' && !agent.revoked)));
    await expect.poll(() => page.getByTestId('agents-count').textContent()).toMatch(/^\d+ agents match/);

    await status.selectOption('never-seen');
    await expectShown(['host-07']);

    // A revoked agent is found by "revoked" only, whatever status it kept.
    await status.selectOption('revoked');
    await expectShown(['host-10', 'host-20']);
    await page.getByTestId('agent-row').filter({ hasText: 'host-10' }).getByText('Revoked').waitFor();

    await status.selectOption('online');
    await page.getByText('Failing tests only').click();
    await expectShown(byName(agents.filter((agent) => agent.status === 'online' && !agent.revoked && agent.testsFailed > 0)));
    await status.selectOption('all');
    await expectShown(byName(agents.filter((agent) => agent.testsFailed > 0)));
  });

  test('the name search finds the agents whose name starts with what was typed, upper and lower case apart', async () => {
    await page.goto(agentsUrl());
    await expectShown(byName(agents).slice(0, AGENTS_PAGE_SIZE));
    const search = page.getByLabel('Name starts with');
    await search.fill('web');
    await expectShown(['web-b']);
    await search.fill('Web');
    await expectShown(['Web-A']);
    await search.fill('host-1');
    await expectShown(byName(agents.filter((agent) => agent.name.startsWith('host-1'))));
    await page.getByLabel('Status').selectOption('offline');
    await expectShown(byName(agents.filter((agent) => agent.name.startsWith('host-1') && agent.status === 'offline' && !agent.revoked)));
    await search.fill('nothing-like-this');
    await page.getByText('No agent matches').waitFor();
  });

  test('the events page finds an agent by the start of its name, filters by it, and keeps it in the link', async () => {
    const lower = agents.find((agent) => agent.name === 'web-b')!;
    await page.goto(`${DASHBOARD_URL}/events/?ws=${workspaceId}`);
    await expect.poll(() => page.getByTestId('event-card').count()).toBe(2);
    const field = page.getByRole('searchbox', { name: 'Agent' });
    await field.fill('we');
    const results = page.getByTestId('agent-search-results');
    // Case-sensitive: "we" finds web-b, not Web-A.
    await results.getByRole('button', { name: 'web-b', exact: true }).waitFor();
    expect(await results.getByRole('button').allTextContents()).toEqual(['web-b']);
    await results.getByRole('button', { name: 'web-b', exact: true }).click();
    await page.waitForURL((address) => address.searchParams.get('agent') === lower.id);
    await expect.poll(() => page.getByTestId('event-card').count()).toBe(1);
    expect(await page.getByTestId('event-card').textContent()).toContain('web-b');
    // The agents were searched, never all read: the session, two searches at most, the feed, the name.
    expect((await reads())!.documents).toBeLessThan(agents.length);

    // The link alone shows the agent's name, read from its document.
    await page.reload();
    await expect.poll(() => field.inputValue()).toBe('web-b');
    // Typing searches again; Escape closes the results and shows the chosen agent.
    await field.fill('host-0');
    await expect.poll(() => results.getByRole('button').count()).toBe(AGENT_SEARCH_LIMIT);
    await field.press('Escape');
    await results.waitFor({ state: 'detached' });
    expect(await field.inputValue()).toBe('web-b');
    await expect.poll(() => page.getByTestId('event-card').count()).toBe(1);

    // Emptying the field is every agent again.
    await field.fill('');
    await page.waitForURL((address) => !address.searchParams.has('agent'));
    await expect.poll(() => page.getByTestId('event-card').count()).toBe(2);
    await screenshot(page, 'events-agent-search');
  });

  test('the solution page charts metrics from the agent document, and an older document has none yet', async () => {
    const db = adminDb();
    const hour = (hoursAgo: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - hoursAgo * 3_600_000).toISOString();
    // state/current as the report trigger leaves it: its metrics are the last recorded report's, older than the agent's.
    const state = (agentId: string) =>
      db.doc(paths.agentState(workspaceId, agentId)).set({
        reportId: 'r1',
        collectedAt: hour(2),
        updatedAt: Timestamp.now(),
        solutions: {
          ufw: {
            version: null,
            configuration: { status: 'active' },
            metrics: { rules: 1 },
            tests: [{ id: 'active', type: 'operational', passed: true, message: 'ok', durationMs: 1 }],
            errors: [],
            testAlerts: {},
          },
        },
        history: [{ reportId: 'r1', collectedAt: hour(2), passed: 1, failed: 0, solutions: { ufw: { tests: { active: true }, metrics: {} } } }],
      });
    await state('agent-00');
    await state('agent-01');
    // Ingest keeps every report's metrics on the agent document: the newest, and the last of each hour.
    await db.doc(paths.agent(workspaceId, 'agent-00')).update({
      metrics: { ufw: { rules: 12 } },
      metricsHistory: [
        { hour: hour(2), solutions: { ufw: { rules: 10 } } },
        { hour: hour(1), solutions: { ufw: { rules: 11 } } },
        { hour: hour(0), solutions: { ufw: { rules: 12 } } },
      ],
    });
    const solutionUrl = (agentId: string) =>
      `${DASHBOARD_URL}/solution/?${new URLSearchParams({ ws: workspaceId, agent: agentId, solution: 'ufw' }).toString()}`;

    await page.goto(solutionUrl('agent-00'));
    const charts = page.getByTestId('metrics-charts');
    await charts.getByRole('img', { name: 'rules over the last 3 hours: from 10 to 12.' }).waitFor();
    expect(await charts.textContent()).toContain('12');
    expect(await charts.textContent()).not.toContain('No history yet');
    // The strip: the recorded reports, not every report.
    await page.getByRole('img', { name: 'Passed in 1 of the last 1 recorded reports; the latest passed.' }).waitFor();

    await page.goto(solutionUrl('agent-01'));
    await page.getByText('No metrics yet').waitFor();
    expect(await page.getByTestId('metrics-charts').count()).toBe(0);

    await page.goto(`${DASHBOARD_URL}/agent/?${new URLSearchParams({ ws: workspaceId, agent: 'agent-00' }).toString()}`);
    await page.getByRole('heading', { name: 'Changes and checkpoints' }).waitFor();
    expect(await page.getByTestId('report-timeline').locator('tbody tr').count()).toBe(1);
  });

  test('no page threw along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
