// Enrollment tokens and labels against the emulators (#15): an owner creates a token in the UI and
// sees it once, the list shows it unused, hosts enroll with it over HTTP as the agent does (the
// enrollAgent callable, the token in its header), the list counts the uses and the agents appear
// with the token's labels; the agent page edits labels, the agents list filters by one (alone and
// with a status, and by a key with a dot), and a revoked token shows as revoked and enrolls nothing more.
import { createHash, randomBytes } from 'node:crypto';
import { ENROLLMENT_TOKEN_HEADER, paths } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminDb } from '../../tests/support/emulators';
import { optionOf } from './support/agent';
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

interface EnrollReply {
  status: number;
  body: { result?: { agentId: string; name: string; key: string }; error?: { status: string; message: string } };
}

/** enrollAgent as the agent calls it: the token in its header, the host's facts in the body. */
async function enroll(endpoint: string, token: string, hostname: string, labels: Record<string, string>): Promise<EnrollReply> {
  const machineId = createHash('sha256')
    .update(`vigil:${randomBytes(16).toString('hex')}`)
    .digest('hex');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ENROLLMENT_TOKEN_HEADER]: token },
    body: JSON.stringify({ data: { machineId, hostname, agentVersion: '0.1.0', labels } }),
  });
  return { status: response.status, body: (await response.json()) as EnrollReply['body'] };
}

describe('enrollment tokens and labels', { timeout: 240_000 }, () => {
  let browser: Browser;
  let user: TestUser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;
  let token: string;
  let enrollEndpoint: string;
  let webAgentId: string;

  const url = (path: string, params: Record<string, string> = {}) =>
    `${DASHBOARD_URL}${path}?${new URLSearchParams({ ws: workspaceId, ...params }).toString()}`;
  const tokenRow = () => page.getByTestId('token-row').filter({ hasText: 'staging fleet' });
  const agentRows = () => page.getByTestId('agent-row');

  beforeAll(async () => {
    browser = await launchBrowser();
    user = await createEmulatorUser('enrollment');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('creates a token in the UI, shows it and its install command once, and lists it unused', async () => {
    await page.goto(url('/agents/'));
    await page.getByRole('link', { name: 'Enrollment tokens' }).click();
    await page.waitForURL((address) => address.pathname === '/enrollment/');
    await page.getByText('No enrollment tokens yet').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });

    await page.getByRole('button', { name: 'New token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('staging fleet');
    await dialog.getByLabel('Expires after (days)').fill('30');
    await dialog.getByText('Unlimited uses').click();
    await dialog.getByLabel('Maximum uses').fill('5');
    // A bad line is named and nothing can be sent until it is fixed.
    await dialog.getByLabel('Labels', { exact: true }).fill('env=staging\nTeam=ops');
    await dialog.getByTestId('labels-problems').getByText('Line 2: the key must start with a lower-case letter').waitFor();
    expect(await dialog.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Labels', { exact: true }).fill('env=staging\nteam=ops');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    await dialog.getByText('it will not be shown again').waitFor({ timeout: WORKSPACE_TIMEOUT_MS });
    token = (await dialog.getByTestId('enrollment-token').textContent())!;
    expect(token).toMatch(/^vgle_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    const installCommand = (await dialog.getByTestId('enrollment-install-command').textContent())!;
    expect(optionOf(installCommand, '--token')).toBe(token);
    expect(installCommand).not.toContain('--key');
    await dialog.getByText('each becomes an agent named after the host').waitFor();
    // The callables share one base URL: enrollAgent sits beside ingestReport.
    enrollEndpoint = optionOf(installCommand, '--endpoint').replace(/\/ingestReport$/, '/enrollAgent');
    expect(enrollEndpoint).toMatch(/\/enrollAgent$/);
    await screenshot(page, 'enrollment-token-created');
    await dialog.getByRole('button', { name: 'I have copied the token' }).click();
    await dialog.waitFor({ state: 'detached' });

    await tokenRow().waitFor();
    expect(await tokenRow().getByTestId('token-uses').textContent()).toBe('0 / 5');
    expect(await tokenRow().getByTestId('token-state').textContent()).toBe('Active');
    expect(await tokenRow().getByTestId('token-last-used').textContent()).toBe('never');
    expect(await tokenRow().textContent()).toContain('env=staging');
    expect(await tokenRow().textContent()).toContain(user.email);
    // Shown once: neither the page nor the stored metadata holds the secret.
    expect(await page.content()).not.toContain(token);
    const stored = await adminDb().collection(paths.enrollmentTokens(workspaceId)).get();
    expect(stored.size).toBe(1);
    expect(JSON.stringify(stored.docs[0]!.data())).not.toContain(token.slice(-43));
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  test('hosts enroll with the token: the list counts the uses, the agents carry its labels', async () => {
    const web = await enroll(enrollEndpoint, token, 'enrolled-web-1', { role: 'web', env: 'mine' });
    expect(web.status, JSON.stringify(web.body)).toBe(200);
    webAgentId = web.body.result!.agentId;
    expect(web.body.result!.name).toBe('enrolled-web-1');
    // The list is live: the use shows without a reload.
    await tokenRow().getByTestId('token-uses').getByText('1 / 5').waitFor();
    expect(await tokenRow().getByTestId('token-last-used').textContent()).not.toBe('never');

    // A label key may hold a dot: it is one key, stored flat (not a nested map app: {tier}).
    const db = await enroll(enrollEndpoint, token, 'enrolled-db-1', { role: 'db', 'app.tier': 'data' });
    expect(db.status, JSON.stringify(db.body)).toBe(200);
    await tokenRow().getByTestId('token-uses').getByText('2 / 5').waitFor();
    expect((await adminDb().doc(paths.agent(workspaceId, db.body.result!.agentId)).get()).get('labels')).toEqual({
      'app.tier': 'data',
      env: 'staging',
      role: 'db',
      team: 'ops',
    });

    await page.goto(url('/agents/'));
    const webRow = agentRows().filter({ hasText: 'enrolled-web-1' });
    await webRow.waitFor();
    // The token's labels win over the host's own (env), the host's others stay (role).
    expect(await webRow.getByTestId('agent-row-labels').textContent()).toBe('env=stagingrole=webteam=ops');
    expect(await agentRows().filter({ hasText: 'enrolled-db-1' }).getByTestId('agent-row-labels').textContent()).toBe(
      'app.tier=dataenv=stagingrole=dbteam=ops',
    );
  });

  test('edits an agent’s labels on its page, refusing a bad line', async () => {
    await page.goto(url('/agent/', { agent: webAgentId }));
    await page.getByTestId('agent-labels').getByText('role=web').waitFor();
    await page.getByRole('button', { name: 'Edit labels of enrolled-web-1' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Labels', { exact: true }).inputValue()).toBe('env=staging\nrole=web\nteam=ops');
    await dialog.getByLabel('Labels', { exact: true }).fill('env=staging\nrole=frontend\nno equals sign');
    await dialog.getByText('Line 3: write it as key=value.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Save labels' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Labels', { exact: true }).fill('env=staging\nrole=frontend');
    await dialog.getByRole('button', { name: 'Save labels' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('agent-labels').getByText('role=frontend').waitFor();
    expect(await page.getByTestId('agent-labels').textContent()).toBe('env=stagingrole=frontend');
    expect((await adminDb().doc(paths.agent(workspaceId, webAgentId)).get()).get('labels')).toEqual({ env: 'staging', role: 'frontend' });
  });

  test('filters the agents list by a label, alone and with a status', async () => {
    await page.goto(url('/agents/'));
    await agentRows().first().waitFor();
    const filters = page.getByRole('search', { name: 'Filter agents' });
    await filters.getByLabel('Label').fill('role=frontend');
    await page.getByTestId('agents-count').getByText('1 agent match').waitFor();
    // The count can land before the page: the previous page's rows stay shown until it does.
    await expect.poll(() => agentRows().count(), { timeout: UI_TIMEOUT_MS }).toBe(1);
    await agentRows().filter({ hasText: 'enrolled-web-1' }).waitFor();
    // The filters a label query cannot take are off meanwhile.
    expect(await filters.getByLabel('Name starts with').isDisabled()).toBe(true);

    await filters.getByLabel('Label').fill('env=staging');
    await page.getByTestId('agents-count').getByText('2 agents match').waitFor();
    // Enrolled agents have not reported yet: "never seen" keeps both, "online" none.
    await filters.getByLabel('Status').selectOption('never-seen');
    await page.getByTestId('agents-count').getByText('2 agents match').waitFor();
    await filters.getByLabel('Status').selectOption('online');
    await page.getByText('No agent matches').waitFor();

    // A key with a dot is one key (FieldPath('labels', 'app.tier')), not the nested path labels.app.tier.
    await filters.getByLabel('Status').selectOption('all');
    await filters.getByLabel('Label').fill('app.tier=data');
    await page.getByTestId('agents-count').getByText('1 agent match').waitFor();
    await expect.poll(() => agentRows().count(), { timeout: UI_TIMEOUT_MS }).toBe(1);
    await agentRows().filter({ hasText: 'enrolled-db-1' }).waitFor();

    await filters.getByLabel('Label').fill('Env');
    await filters.getByText('Not a label filter: write it as key=value.').waitFor();
    await screenshot(page, 'agents-label-filter');
  });

  test('revokes the token: shown revoked, and it enrolls nothing more', async () => {
    await page.goto(url('/enrollment/'));
    await tokenRow().waitFor();
    await tokenRow().getByRole('button', { name: 'Revoke staging fleet' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('No host can enroll with it any more.').waitFor();
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await tokenRow().getByTestId('token-state').getByText('Revoked').waitFor();
    expect(await tokenRow().getByRole('button', { name: 'Revoke staging fleet' }).count()).toBe(0);
    expect(await tokenRow().getByTestId('token-uses').textContent()).toBe('2 / 5');

    const refused = await enroll(enrollEndpoint, token, 'enrolled-late-1', {});
    expect(refused.status).toBe(400);
    expect(refused.body.error?.status).toBe('FAILED_PRECONDITION');
    // The page's listener may not have fired yet, so the stored token says whether a use was counted,
    // and no agent came of the refused host.
    const tokens = await adminDb().collection(paths.enrollmentTokens(workspaceId)).get();
    expect(tokens.docs.map((stored) => stored.get('uses'))).toEqual([2]);
    const agents = await adminDb().collection(paths.agents(workspaceId)).get();
    expect(agents.docs.map((agent) => String(agent.get('name'))).filter((name) => name.startsWith('enrolled-late'))).toEqual([]);
    expect(await tokenRow().getByTestId('token-uses').textContent()).toBe('2 / 5');
    await screenshot(page, 'enrollment-token-revoked');
  });

  test('says when older tokens are left out of the list', async () => {
    expect(await page.getByTestId('tokens-cut-off').count()).toBe(0);
    // 100 more, all older than "staging fleet": the list shows the newest 100 and says so.
    const batch = adminDb().batch();
    const createdBy = { uid: user.uid, email: user.email };
    for (let index = 0; index < 100; index += 1) {
      const id = `seededtoken${String.fromCharCode(97 + Math.floor(index / 26))}${String.fromCharCode(97 + (index % 26))}aaa`;
      batch.set(adminDb().doc(`${paths.enrollmentTokens(workspaceId)}/${id}`), {
        name: `seeded ${index}`,
        createdBy,
        createdAt: Timestamp.fromMillis(Date.now() - (index + 1) * 86_400_000),
        expiresAt: Timestamp.fromMillis(Date.now() + 86_400_000),
        maxUses: null,
        uses: 0,
        labels: {},
        revokedAt: null,
        lastUsedAt: null,
      });
    }
    await batch.commit();
    await page.getByTestId('tokens-cut-off').getByText('Only the newest 100 tokens are listed').waitFor();
    await expect.poll(() => page.getByTestId('token-row').count(), { timeout: UI_TIMEOUT_MS }).toBe(100);
    await tokenRow().waitFor();
    expect(await page.getByTestId('token-row').filter({ hasText: 'seeded 99' }).count()).toBe(0);
  });

  test('no page threw along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
