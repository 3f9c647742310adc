// Email delivery under the emulators, with the real sendEventEmail trigger, the real @sendgrid/mail
// client and the mail sink, whose fault switch plays a failing SendGrid. The sweep and the digest
// run in-process, as their schedules would run them, with a clock they are given.
import { EMAIL_DELIVERY, paths, type EventKind } from '@vigil/schema';
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, ownerWithWorkspace, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminAuth, adminDb } from '../../../tests/support/emulators.js';
import { loadFunctionParams } from '../../../tests/support/function-params.js';
import { bodyOf, clearFaults, failSends, messagesTo } from '../../../tests/support/mail-sink.js';
import { hourEndMs, hourKey } from './email-delivery.js';
import { sendDigests } from './send-digests.js';
import { sweepEmails } from './sweep-emails.js';

const poll = { timeout: 120_000, interval: 250 };
const enrolled: EnrolledAgent[] = [];
beforeAll(() => loadFunctionParams());
afterEach(() => clearFaults());
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

async function agent(name: string, options: { verified?: boolean } = {}) {
  const created = await enrollAgent(name, options.verified === false ? await ownerWithWorkspace('owner', { verified: false }) : undefined);
  enrolled.push(created);
  return created;
}

let eventCounter = 0;
/** An event as the report trigger stores it; creating it runs the real sendEventEmail trigger. */
async function raiseEvent(target: EnrolledAgent, options: { kind?: EventKind; email?: Record<string, unknown> } = {}): Promise<DocumentReference> {
  eventCounter += 1;
  const kind = options.kind ?? 'test_failed';
  const ref = adminDb().doc(paths.event(target.workspaceId, `${target.agentId}_manual-${Date.now()}-${eventCounter}_${kind}`));
  await ref.create({
    kind,
    agentId: target.agentId,
    agentName: 'mail-host',
    hostname: 'mail-host.example.com',
    solutionIds: ['clamav'],
    reportId: null,
    createdAt: Timestamp.now(),
    occurredAt: new Date().toISOString(),
    details: { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: `not detected ${eventCounter}` }] },
    acknowledgedAt: null,
    acknowledgedBy: null,
    email: options.email ?? { state: 'pending', at: null, error: null },
  });
  return ref;
}

async function emailOf(ref: DocumentReference) {
  return (await ref.get()).get('email') as Record<string, unknown> & { state: string };
}

async function waitForState(ref: DocumentReference, state: string) {
  await vi.waitFor(async () => expect((await emailOf(ref)).state).toBe(state), poll);
  return emailOf(ref);
}

describe('event email delivery', () => {
  it('retries through a SendGrid outage and delivers exactly one email once it recovers', async () => {
    const web = await agent('outage-1');
    const email = web.owner.user.email!.toLowerCase();
    await failSends({ status: 500, to: email });
    const ref = await raiseEvent(web);

    const failed = await waitForState(ref, 'retrying');
    expect(failed).toMatchObject({ attempts: 1, error: expect.stringContaining('SendGrid answered 500'), leaseUntil: null });
    const nextAttemptAt = (failed.nextAttemptAt as Timestamp).toMillis();
    expect(nextAttemptAt).toBeGreaterThan(Date.now());
    expect(await messagesTo(email)).toHaveLength(0);

    // Not due yet: the sweep leaves it alone.
    await sweepEmails();
    expect((await emailOf(ref)).state).toBe('retrying');

    // Still down at the next attempt: a second failure, a longer wait.
    await sweepEmails(nextAttemptAt);
    const again = await emailOf(ref);
    expect(again).toMatchObject({ state: 'retrying', attempts: 2 });
    const second = (again.nextAttemptAt as Timestamp).toMillis();
    expect(second - nextAttemptAt).toBeGreaterThanOrEqual(2 * EMAIL_DELIVERY.firstRetrySeconds * 1000);

    await clearFaults();
    await sweepEmails(second);
    expect(await emailOf(ref)).toMatchObject({ state: 'sent', attempts: 3, recipients: 1, error: null });
    await sweepEmails(second + 3_600_000);
    const messages = await messagesTo(email);
    expect(messages).toHaveLength(1);
    expect(bodyOf(messages[0]!, 'text/plain')).toContain('not detected');
  });

  it('waits as long as a 429 asks, and ends a refused (4xx) send as failed without retrying', async () => {
    const web = await agent('throttled-1');
    const email = web.owner.user.email!.toLowerCase();
    await failSends({ status: 429, retryAfterSeconds: 900, count: 1, to: email });
    const throttled = await raiseEvent(web);
    const retrying = await waitForState(throttled, 'retrying');
    expect((retrying.nextAttemptAt as Timestamp).toMillis() - Date.now()).toBeGreaterThan(800_000);

    await failSends({ status: 400, count: 1, to: email });
    const refused = await raiseEvent(web);
    expect(await waitForState(refused, 'failed')).toMatchObject({ reason: 'rejected', attempts: 1, error: expect.stringContaining('400') });
    await sweepEmails(Date.now() + 86_400_000);
    expect((await emailOf(refused)).state).toBe('failed');
  });

  it('reclaims a claim whose lease expired (its run crashed), not before', async () => {
    const web = await agent('crashed-1');
    const email = web.owner.user.email!.toLowerCase();
    const leaseUntil = Date.now() + 10 * 60_000;
    const ref = await raiseEvent(web, {
      email: { state: 'sending', at: null, error: null, attempts: 1, leaseUntil: Timestamp.fromMillis(leaseUntil) },
    });
    await sweepEmails();
    expect((await emailOf(ref)).state).toBe('sending');
    await sweepEmails(leaseUntil + 1);
    expect(await emailOf(ref)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await messagesTo(email)).toHaveLength(1);
  });

  it('sends the email of a pending event its trigger never finished', async () => {
    const web = await agent('lost-trigger-1');
    const email = web.owner.user.email!.toLowerCase();
    // A trigger that died before its claim (or was never delivered) leaves the event pending. The
    // real trigger cannot be kept from running, so let it fail once and put the event back as such a
    // run leaves it.
    await failSends({ status: 503, to: email });
    const ref = await raiseEvent(web);
    await waitForState(ref, 'retrying');
    await ref.update({ 'email.state': 'pending', 'email.nextAttemptAt': null, 'email.attempts': 1 });
    // Younger than the trigger's grace: not the sweep's yet.
    await sweepEmails();
    expect((await emailOf(ref)).state).toBe('pending');
    await clearFaults();
    await sweepEmails(Date.now() + EMAIL_DELIVERY.sweepPendingAfterSeconds * 1000);
    expect(await emailOf(ref)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await messagesTo(email)).toHaveLength(1);
  });
});

describe('who receives email', () => {
  it('mails only members whose address is verified, counting the others', async () => {
    const web = await agent('verified-1');
    const db = adminDb();
    const stranger = await adminAuth().createUser({
      email: `unverified-${Date.now()}@vigil.test`,
      password: 'correct-horse-battery',
      emailVerified: false,
    });
    await db.doc(paths.member(web.workspaceId, stranger.uid)).set({
      role: 'viewer',
      email: stranger.email,
      joinedAt: Timestamp.now(),
      notifications: { test_failed: 'instant' },
    });
    const ref = await raiseEvent(web);
    expect(await waitForState(ref, 'sent')).toMatchObject({ recipients: 1, unverified: 1 });
    expect(await messagesTo(web.owner.user.email!)).toHaveLength(1);
    expect(await messagesTo(stranger.email!)).toHaveLength(0);

    // Once the stranger verifies, they receive the next one.
    await adminAuth().updateUser(stranger.uid, { emailVerified: true });
    const next = await raiseEvent(web);
    expect(await waitForState(next, 'sent')).toMatchObject({ recipients: 2, unverified: 0 });
    expect(await messagesTo(stranger.email!)).toHaveLength(1);
  });

  it('sends nothing when nobody who wants it has verified their address', async () => {
    const web = await agent('unverified-only-1', { verified: false });
    const ref = await raiseEvent(web);
    expect(await waitForState(ref, 'skipped')).toMatchObject({ reason: 'no_verified_recipients', recipients: 0, unverified: 1 });
    expect(await messagesTo(web.owner.user.email!)).toHaveLength(0);
  });

  it('sends nothing for an event whose agent was deleted or revoked before it was mailed', async () => {
    const gone = await agent('gone-1');
    const db = adminDb();
    // What an in-flight report trigger leaves behind a deletion: an event whose agent no longer exists.
    await db.recursiveDelete(db.doc(paths.agent(gone.workspaceId, gone.agentId)));
    const orphan = await raiseEvent(gone);
    expect(await waitForState(orphan, 'skipped')).toMatchObject({ reason: 'agent_deleted' });

    const revoked = await agent('revoked-1');
    await revoked.owner.call('revokeAgent', { workspaceId: revoked.workspaceId, agentId: revoked.agentId });
    const late = await raiseEvent(revoked);
    expect(await waitForState(late, 'skipped')).toMatchObject({ reason: 'agent_revoked' });
    // The sweep decides the same for one it picks up.
    const swept = await raiseEvent(revoked, {
      email: { state: 'retrying', at: null, error: 'SendGrid answered 500', attempts: 1, nextAttemptAt: Timestamp.now() },
    });
    await sweepEmails(Date.now() + 1000);
    expect(await emailOf(swept)).toMatchObject({ state: 'skipped', reason: 'agent_revoked' });
    expect(await messagesTo(gone.owner.user.email!)).toHaveLength(0);
    expect(await messagesTo(revoked.owner.user.email!)).toHaveLength(0);
  });
});

describe('hourly cap', () => {
  it('mails at most MAX_EMAILS_PER_HOUR alerts of a burst, then ONE summary of the rest after the hour', async () => {
    const web = await agent('burst-1');
    const email = web.owner.user.email!.toLowerCase();
    const cap = EMAIL_DELIVERY.defaultMaxEmailsPerHour;
    // The whole burst must fall in one clock hour.
    const untilHourEnd = hourEndMs(hourKey(Date.now())) - Date.now();
    if (untilHourEnd < 90_000) await new Promise((resolve) => setTimeout(resolve, untilHourEnd + 1000));
    const hour = hourKey(Date.now());

    const refs = await Promise.all(
      Array.from({ length: cap + 3 }, (_, index) => raiseEvent(web, { kind: index % 2 ? 'test_failed' : 'config_changed' })),
    );
    await vi.waitFor(async () => {
      const states = await Promise.all(refs.map(async (ref) => (await emailOf(ref)).state));
      expect(states.filter((state) => state === 'sent')).toHaveLength(cap);
      expect(states.filter((state) => state === 'capped')).toHaveLength(3);
    }, poll);
    expect(await messagesTo(email)).toHaveLength(cap);
    const window = await adminDb().doc(paths.emailHour(web.workspaceId, hour)).get();
    expect(window.data()).toMatchObject({ sent: cap, capped: 3, summary: { state: 'pending' } });

    // Before the hour ends, no summary; after it, one, and only one.
    await sweepEmails();
    expect(await messagesTo(email)).toHaveLength(cap);
    await sweepEmails(hourEndMs(hour) + 1000);
    await sweepEmails(hourEndMs(hour) + 120_000);
    const messages = await messagesTo(email);
    expect(messages).toHaveLength(cap + 1);
    const summary = messages.at(-1)!;
    expect(summary.subject).toMatch(/^\[Vigil\] 3 more alerts in .* in the last hour$/);
    expect(bodyOf(summary, 'text/plain')).toContain(`/events/?ws=${web.workspaceId}`);
    expect((await adminDb().doc(paths.emailHour(web.workspaceId, hour)).get()).get('summary.state')).toBe('sent');
  });
});

describe('daily digest delivery', () => {
  it('keeps lastDigestAt when the send fails and sends the same window on the next run', async () => {
    const web = await agent('digest-1');
    const email = web.owner.user.email!.toLowerCase();
    const db = adminDb();
    const workspaceRef = db.doc(paths.workspace(web.workspaceId));
    await db.doc(paths.member(web.workspaceId, web.owner.user.uid)).update({ 'notifications.test_failed': 'digest' });
    const event = await raiseEvent(web);
    await waitForState(event, 'skipped');

    await failSends({ status: 500, to: email });
    const nowMs = Date.now() + 1000;
    await sendDigests(nowMs);
    expect((await workspaceRef.get()).get('lastDigestAt')).toBeUndefined();
    const failedRun = await db.doc(paths.digest(web.workspaceId, new Date(nowMs).toISOString())).get();
    expect(failedRun.data()).toMatchObject({ state: 'failed', recipients: [{ uid: web.owner.user.uid, email, state: 'failed', events: 1 }] });
    // Retention's TTL field: the period's end plus the workspace's retention (30 days by default).
    expect((failedRun.get('expireAt') as Timestamp).toMillis()).toBe(nowMs + 30 * 86_400_000);
    expect(await messagesTo(email)).toHaveLength(0);

    await clearFaults();
    const later = nowMs + 60_000;
    await sendDigests(later);
    const messages = await messagesTo(email);
    expect(messages).toHaveLength(1);
    expect(bodyOf(messages[0]!, 'text/plain')).toContain('eicar-detected');
    const workspace = await workspaceRef.get();
    expect((workspace.get('lastDigestAt') as Timestamp).toMillis()).toBe(later);
    expect(workspace.get('digestProgress')).toBeUndefined();

    // Nothing new: the next run sends nothing.
    await sendDigests(later + 60_000);
    expect(await messagesTo(email)).toHaveLength(1);
  });
});
