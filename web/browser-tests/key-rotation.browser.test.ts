// Key rotation by the agent, from the dashboard (#15): "Ask to rotate" asks for a rotation without
// showing any key, says the agent switches at its next report, and the agent's next ingest reply
// carries rotateKey: true (docs/architecture.md, "Agent keys"). "Rotate key" (a new key shown at
// once) is dashboard.browser.test.ts's.
import { paths } from '@vigil/schema';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validReport } from '../../schema/src/test-fixtures';
import { adminDb } from '../../tests/support/emulators';
import { enrollWithCommand } from './support/agent';
import { createEmulatorUser, DASHBOARD_URL, launchBrowser, openPage, signIn, UI_TIMEOUT_MS, WORKSPACE_TIMEOUT_MS } from './support/browser';

describe('asking an agent to rotate its key', { timeout: 180_000 }, () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let workspaceId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const user = await createEmulatorUser('key-rotation');
    ({ page, pageErrors } = await openPage(browser));
    await signIn(page, user);
    const agentsLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Agents', exact: true }).getAttribute('href');
    workspaceId = new URL(agentsLink!, DASHBOARD_URL).searchParams.get('ws')!;
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('asks after a confirmation, shows no key, and the next ingest reply asks the agent', async () => {
    await page.goto(`${DASHBOARD_URL}/agents/?ws=${workspaceId}`);
    await page.getByRole('button', { name: 'Create agent' }).click({ timeout: WORKSPACE_TIMEOUT_MS });
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('to-rotate');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    const { key, endpoint } = await enrollWithCommand((await create.getByTestId('install-command').textContent())!, 'to-rotate');
    await create.getByRole('button', { name: 'I have copied the command' }).click();
    const row = page.getByTestId('agent-row').filter({ hasText: 'to-rotate' });
    await row.waitFor();

    await row.getByRole('button', { name: 'Ask to rotate the key of to-rotate' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('its current key works until then').waitFor();
    await confirm.getByRole('button', { name: 'Ask to rotate' }).click();
    await row.getByRole('status').getByText('Rotation requested; the agent switches at its next report.').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('agent-key').count()).toBe(0);

    const agents = await adminDb().collection(paths.agents(workspaceId)).where('name', '==', 'to-rotate').get();
    expect(agents.size).toBe(1);
    expect(agents.docs[0]!.get('keyRotation')).toMatchObject({ reason: 'dashboard', fetchedAt: null });

    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Vigil-Key': key },
      body: JSON.stringify({ data: { ...validReport(), reportId: `rot-${Date.now()}`, collectedAt: new Date().toISOString() } }),
    });
    expect(await response.json()).toMatchObject({ result: { accepted: true, rotateKey: true } });
    expect(pageErrors).toEqual([]);
  });
});
