// `npm run schedule -- <name>` against the running emulators: the real script, the real callable,
// the real handler inside the functions emulator, observed through its effect on Firestore.
import { paths } from '@vigil/schema';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { lastSeenAgo } from '../../../tests/support/silence.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

function npmRunSchedule(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'schedule', '--', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run schedule', () => {
  it('runs detectSilentAgents now, in the functions emulator: a silent agent goes offline', async () => {
    const agent = await enrollAgent('scheduled-silent-1');
    enrolled.push(agent);
    expect((await sendReport(agent.key, freshReport())).status).toBe(200);
    const ref = adminDb().doc(paths.agent(agent.workspaceId, agent.agentId));
    await lastSeenAgo(ref, 60 * 60_000);

    const run = await npmRunSchedule('detectSilentAgents');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^detectSilentAgents ran in [\d.]+ s: \{"checked":\d+,"markedOffline":[1-9]\d*\}/);
    expect((await ref.get()).get('status')).toBe('offline');
  });

  it('fails with the known names for an unknown schedule, and with usage for none', async () => {
    const unknown = await npmRunSchedule('noSuchSchedule');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no schedule named "noSuchSchedule"\. Schedules: .*detectSilentAgents.*pruneOldData.*sendDigests/);

    const prototypeName = await npmRunSchedule('constructor');
    expect(prototypeName.code).toBe(2);

    const none = await npmRunSchedule();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run schedule -- <name>\nschedules: detectSilentAgents \(every 5 minutes\)/);
  });
});
