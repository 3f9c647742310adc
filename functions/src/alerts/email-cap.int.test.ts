// The per-workspace override of the hourly email cap, under the emulators with the real
// sendEventEmail trigger and the mail sink: the operator's `maxEmailsPerHour` on the workspace
// document (Admin SDK, as the operator would) replaces MAX_EMAILS_PER_HOUR for that workspace only.
import { paths } from '@vigil/schema';
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { loadFunctionParams } from '../../../tests/support/function-params.js';
import { messagesTo } from '../../../tests/support/mail-sink.js';
import { hourEndMs, hourKey } from './email-delivery.js';

const poll = { timeout: 120_000, interval: 250 };
const enrolled: EnrolledAgent[] = [];
beforeAll(() => loadFunctionParams());
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

/** An event as the report trigger stores it; creating it runs the real sendEventEmail trigger. */
async function raiseEvent(target: EnrolledAgent, index: number): Promise<DocumentReference> {
  const ref = adminDb().doc(paths.event(target.workspaceId, `${target.agentId}_cap-${Date.now()}-${index}_test_failed`));
  await ref.create({
    kind: 'test_failed',
    agentId: target.agentId,
    agentName: 'cap-host',
    hostname: 'cap-host.example.com',
    solutionIds: ['clamav'],
    reportId: null,
    createdAt: Timestamp.now(),
    occurredAt: new Date().toISOString(),
    details: { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: `not detected ${index}` }] },
    acknowledgedAt: null,
    acknowledgedBy: null,
    email: { state: 'pending', at: null, error: null },
  });
  return ref;
}

describe('maxEmailsPerHour', () => {
  it("replaces MAX_EMAILS_PER_HOUR for its workspace: the workspace's override is the cap the trigger applies", async () => {
    const web = await enrollAgent('cap-override');
    enrolled.push(web);
    const email = web.owner.user.email!.toLowerCase();
    await adminDb().doc(paths.workspace(web.workspaceId)).update({ maxEmailsPerHour: 2 });
    // The burst must fall in one clock hour.
    const untilHourEnd = hourEndMs(hourKey(Date.now())) - Date.now();
    if (untilHourEnd < 60_000) await new Promise((resolve) => setTimeout(resolve, untilHourEnd + 1000));
    const hour = hourKey(Date.now());

    // One at a time, so which one is capped is the last one.
    const refs: DocumentReference[] = [];
    for (let index = 0; index < 3; index += 1) {
      const ref = await raiseEvent(web, index);
      refs.push(ref);
      await vi.waitFor(async () => expect((await ref.get()).get('email.state')).toMatch(/^(sent|capped)$/), poll);
    }
    const states = await Promise.all(refs.map(async (ref) => (await ref.get()).get('email.state') as string));
    expect(states).toEqual(['sent', 'sent', 'capped']);
    expect(await messagesTo(email)).toHaveLength(2);
    const window = await adminDb().doc(paths.emailHour(web.workspaceId, hour)).get();
    expect(window.data()).toMatchObject({ sent: 2, capped: 1 });
    // Retention's TTL field: the hour's end plus the workspace's retention (30 days by default).
    expect((window.get('expireAt') as Timestamp).toMillis()).toBe(hourEndMs(hour) + 30 * 86_400_000);
  });
});
