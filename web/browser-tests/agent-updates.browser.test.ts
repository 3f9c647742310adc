// Updates and key rotation on the dashboard (#15 items 3, 5), against the emulators: agent documents
// written with the Admin SDK as ingest leaves them (agentVersion, update from the newest report,
// keyRotation and pendingKeyId as requestKeyRotation, the automatic rotation and fetchAgentKey leave
// them). The agents list marks the out-of-date agents and the failed or rolled-back updates to the
// version this dashboard serves (agent/package.json's, baked into the build), and the agents with
// a rotation pending; the agent page's "Agent version" section shows the policy and the last
// attempt with the agent's reason as inert text; the rotation notice says where it stands; the
// settings form saves automatic key rotation (6 days refused, 30 stored, off removes it).
import { readFileSync } from 'node:fs';
import { paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import {
  createEmulatorUser,
  DASHBOARD_URL,
  launchBrowser,
  openPage,
  screenshot,
  seriousAxeViolations,
  signIn,
  UI_TIMEOUT_MS,
} from './support/browser';

const SERVED = (JSON.parse(readFileSync(new URL('../../agent/package.json', import.meta.url), 'utf8')) as { version: string }).version;
const OLD = '0.0.1-test';
const MARKUP_REASON = '<img src=x onerror="window.__pwned=1"><b>SHA-256 mismatch</b>';
const HOUR = 3_600_000;

interface Seed {
  id: string;
  agentVersion: string | null;
  update?: unknown;
  keyRotation?: unknown;
  pendingKeyId?: string;
}

function agentDocument(seed: Seed, now: number) {
  const seen = seed.agentVersion !== null;
  return {
    name: seed.id,
    description: '',
    status: seen ? 'online' : 'never-seen',
    createdAt: Timestamp.fromMillis(now - 48 * HOUR),
    createdBy: 'browser-test',
    intervalSeconds: 300,
    keyId: null,
    keyPrefix: null,
    revokedAt: null,
    lastSeenAt: seen ? Timestamp.fromMillis(now - 60_000) : null,
    lastReportId: null,
    agentVersion: seed.agentVersion,
    host: seen ? { hostname: `${seed.id}.example` } : null,
    summary: { solutions: [], testsPassed: 0, testsFailed: 0 },
    ...(seed.update === undefined ? {} : { update: seed.update }),
    ...(seed.keyRotation === undefined ? {} : { keyRotation: seed.keyRotation }),
    ...(seed.pendingKeyId === undefined ? {} : { pendingKeyId: seed.pendingKeyId }),
  };
}

describe('updates and key rotation on the dashboard', { timeout: 180_000 }, () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;
  const now = Date.now();
  const attemptAt = new Date(now - 2 * HOUR).toISOString();
  const requestedAt = new Date(now - 3 * HOUR);
  const fetchedAt = new Date(now - 10 * 60_000);

  const seeds: Seed[] = [
    { id: 'upd-current', agentVersion: SERVED, update: { auto: true, channel: 'stable' } },
    {
      id: 'upd-failed',
      agentVersion: OLD,
      update: { auto: true, channel: 'stable', last: { outcome: 'failed', from: OLD, to: SERVED, at: attemptAt, reason: MARKUP_REASON } },
    },
    {
      id: 'upd-rolled-back',
      agentVersion: OLD,
      update: {
        auto: true,
        channel: 'stable',
        last: { outcome: 'rolled-back', from: OLD, to: SERVED, at: attemptAt, reason: 'the new version did not report within 15 minutes' },
      },
    },
    { id: 'upd-pinned', agentVersion: OLD, update: { auto: true, channel: OLD } },
    { id: 'upd-never-seen', agentVersion: null },
    {
      id: 'rot-asked',
      agentVersion: SERVED,
      update: { auto: false, channel: 'stable' },
      keyRotation: {
        reason: 'dashboard',
        requestedAt: Timestamp.fromDate(requestedAt),
        requestedBy: { uid: 'u1', email: 'ana@example.com' },
        fetchedAt: null,
      },
    },
    {
      id: 'rot-fetched',
      agentVersion: SERVED,
      update: { auto: true, channel: 'stable' },
      keyRotation: { reason: 'automatic', requestedAt: Timestamp.fromDate(requestedAt), fetchedAt: Timestamp.fromDate(fetchedAt) },
      pendingKeyId: 'pendingkey0000000001',
    },
  ];

  beforeAll(async () => {
    browser = await launchBrowser();
    const user = await createEmulatorUser('agent-updates');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
    const batch = adminDb().batch();
    for (const seed of seeds) batch.set(adminDb().doc(paths.agent(workspaceId, seed.id)), agentDocument(seed, now));
    await batch.commit();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const row = (name: string) => page.getByTestId('agent-row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const markerKinds = (name: string) =>
    row(name)
      .getByTestId('update-marker')
      .evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-kind')));

  test('the agents list marks out-of-date agents, failed and rolled-back updates, and pending rotations', async () => {
    await page.goto(`${DASHBOARD_URL}/agents/?ws=${workspaceId}`);
    await row('rot-fetched').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('agent-row').count()).toBe(seeds.length);

    expect(await markerKinds('upd-current')).toEqual([]);
    expect(await markerKinds('upd-never-seen')).toEqual([]);
    expect(await markerKinds('upd-failed')).toEqual(['out-of-date', 'update-failed']);
    expect(await markerKinds('upd-rolled-back')).toEqual(['out-of-date', 'rolled-back']);
    expect(await markerKinds('upd-pinned')).toEqual(['out-of-date']);
    // The badge's words, and the sentence screen readers get with it.
    const failed = row('upd-failed').locator('[data-kind="update-failed"]');
    expect(await failed.textContent()).toBe(`Update failed: Update from ${OLD} to ${SERVED} failed: ${MARKUP_REASON}`);
    expect(await failed.locator('img, b').count()).toBe(0);
    expect(await row('upd-pinned').locator('[data-kind="out-of-date"]').getAttribute('title')).toBe(
      `Runs ${OLD}; the dashboard serves ${SERVED}. It is pinned to ${OLD} (update_channel).`,
    );

    expect(await row('rot-asked').getByTestId('rotation-marker').textContent()).toMatch(
      /^Key rotation pending: Key rotation pending since .+ \(requested by ana@example\.com\), waiting for the agent to fetch its new key\.$/,
    );
    expect(await row('rot-fetched').getByTestId('rotation-marker').textContent()).toMatch(
      /^New key fetched: .+\(automatic\), new key fetched at .+, waiting for its first report\.$/,
    );
    expect(await row('upd-current').getByTestId('rotation-marker').count()).toBe(0);
    await screenshot(page, 'agents-updates');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test("the agent page shows its version against the served one, its policy and its last attempt with the agent's reason as text", async () => {
    await page.goto(`${DASHBOARD_URL}/agent/?ws=${workspaceId}&agent=upd-failed`);
    const section = page.getByTestId('agent-version');
    await section.waitFor({ timeout: UI_TIMEOUT_MS });
    await section.getByText(`Served by the dashboard`).waitFor();
    expect(await section.getByTestId('update-policy').textContent()).toBe('automatic, channel stable');
    const last = section.getByTestId('update-last');
    expect(await last.textContent()).toMatch(
      new RegExp(`^Update from ${OLD} to ${SERVED.replace(/\./g, '\\.')} failed: .*SHA-256 mismatch</b> \\(.+ ago\\)$`),
    );
    expect(await last.textContent()).toContain(MARKUP_REASON);
    expect(await section.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await section.getByTestId('update-why').textContent()).toContain(`Runs ${OLD}; the dashboard serves ${SERVED}.`);
    // No rotation pending here.
    expect(await page.getByTestId('rotation-pending').count()).toBe(0);

    await page.goto(`${DASHBOARD_URL}/agent/?ws=${workspaceId}&agent=rot-asked`);
    await page.getByTestId('agent-version').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('agent-version').getByTestId('update-policy').textContent()).toBe('off (auto_update: false)');
    expect(await page.getByTestId('agent-version').getByTestId('update-marker').count()).toBe(0);
    await screenshot(page, 'agent-rotation-pending');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('the rotation notice follows the agent document: requested, new key fetched, then gone once the key is promoted', async () => {
    await page.goto(`${DASHBOARD_URL}/agent/?ws=${workspaceId}&agent=rot-asked`);
    const notice = page.getByRole('status').filter({ hasText: 'Key rotation pending since' });
    await notice.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await notice.textContent()).toMatch(/\(requested by ana@example\.com\), waiting for the agent to fetch its new key\.$/);

    // fetchAgentKey issued the pending key: the page listens to the document and moves on.
    await adminDb()
      .doc(paths.agent(workspaceId, 'rot-asked'))
      .update({ 'keyRotation.fetchedAt': Timestamp.fromMillis(Date.now()), pendingKeyId: 'pendingkey0000000002' });
    await page
      .getByTestId('rotation-pending')
      .getByText(/new key fetched at .+, waiting for its first report\.$/)
      .waitFor({ timeout: UI_TIMEOUT_MS });

    // The first report with the new key promoted it (key-rotation.ts promotion): no rotation left.
    await adminDb().doc(paths.agent(workspaceId, 'rot-asked')).update({ keyRotation: null, pendingKeyId: null, keyId: 'pendingkey0000000002' });
    await expect.poll(() => page.getByTestId('rotation-pending').count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
  });

  test('the settings form saves automatic key rotation: 6 days refused, 30 stored, off removes it', async () => {
    const workspace = adminDb().doc(paths.workspace(workspaceId));
    await page.goto(`${DASHBOARD_URL}/settings/?ws=${workspaceId}`);
    const toggle = page.getByRole('checkbox', { name: "Rotate every agent's key automatically" });
    await toggle.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await toggle.isChecked()).toBe(false);
    await page.getByText('Off: keys change only when someone asks').waitFor();
    // Chakra's checkbox: its control covers the hidden input, so the label is what a user clicks.
    await page.getByText("Rotate every agent's key automatically").click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    const days = page.getByLabel('Rotate keys older than (days)');
    expect(await days.inputValue()).toBe('90');

    await days.fill('6');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Enter a number from 7 to 365.').waitFor();
    expect((await workspace.get()).get('settings.keyRotationDays')).toBeUndefined();

    await days.fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(async () => (await workspace.get()).get('settings.keyRotationDays'), { timeout: UI_TIMEOUT_MS }).toBe(30);

    await page.reload();
    await page.getByLabel('Rotate keys older than (days)').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole('checkbox', { name: "Rotate every agent's key automatically" }).isChecked()).toBe(true);
    expect(await page.getByLabel('Rotate keys older than (days)').inputValue()).toBe('30');

    await page.getByText("Rotate every agent's key automatically").click();
    await expect.poll(() => page.getByRole('checkbox', { name: "Rotate every agent's key automatically" }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(async () => (await workspace.get()).get('settings')?.keyRotationDays, { timeout: UI_TIMEOUT_MS }).toBeUndefined();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
