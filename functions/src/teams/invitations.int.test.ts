// The invitation callables under the emulators: the real functions, the mail sink as SendGrid, a
// signed-in web client per person.
import { paths } from '@vigil/schema';
import { createHash } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adminDb, callRaw, newSignedInClient, type SignedInClient } from '../../../tests/support/emulators.js';
import { messagesTo } from '../../../tests/support/mail-sink.js';
import { auditEntries, failure, latestLink, mailedLinks, newTeam, poll, type Team } from '../../../tests/support/teams.js';

const teams: Team[] = [];
const others: SignedInClient[] = [];
afterAll(() => Promise.all([...teams.flatMap((team) => team.clients), ...others].map((client) => client.close())));

async function team() {
  const created = await newTeam();
  teams.push(created);
  return created;
}

async function person(prefix: string, options: { verified?: boolean } = {}) {
  const client = await newSignedInClient(prefix, options);
  others.push(client);
  // A fresh ID token, as the dashboard takes after verification: accepting reads email_verified
  // from the token, and the sign-up token predates the verification.
  await client.user.getIdToken(true);
  return client;
}

const emailOf = (client: SignedInClient) => client.user.email!;

describe('inviteMember and acceptInvitation', () => {
  it('mails a single-use link whose token only the email holds; accepting makes a member with the role, once', async () => {
    const { owner, workspaceId } = await team();
    const invitee = await person('invitee');
    const invited = await owner.call<{ invitationId: string; resent: boolean }>('inviteMember', {
      workspaceId,
      email: emailOf(invitee).toUpperCase(),
      role: 'viewer',
    });
    expect(invited.resent).toBe(false);

    const link = await latestLink(emailOf(invitee));
    expect(link.invitationId).toBe(invited.invitationId);
    expect(link.text).toContain(`${emailOf(owner)}`.replace('@', '[@]').replace(/\./g, '[.]'));
    const stored = await adminDb().doc(paths.invitation(workspaceId, invited.invitationId)).get();
    expect(stored.data()).toMatchObject({
      email: emailOf(invitee),
      role: 'viewer',
      state: 'pending',
      sends: 1,
      invitedBy: { uid: owner.user.uid, email: emailOf(owner) },
      tokenHash: createHash('sha256').update(link.token).digest('hex'),
    });
    expect(JSON.stringify(stored.data())).not.toContain(link.token);
    const expiresInDays = ((stored.get('expiresAt') as Timestamp).toMillis() - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(6.99);
    expect(expiresInDays).toBeLessThanOrEqual(7);

    const accepted = await invitee.call('acceptInvitation', { workspaceId, invitationId: link.invitationId, token: link.token });
    expect(accepted).toEqual({ workspaceId, role: 'viewer' });
    const member = await adminDb().doc(paths.member(workspaceId, invitee.user.uid)).get();
    expect(member.data()).toMatchObject({ role: 'viewer', email: emailOf(invitee), invitedBy: { uid: owner.user.uid } });
    expect(member.get('lastActiveAt')).toBeInstanceOf(Timestamp);
    expect((await stored.ref.get()).data()).toMatchObject({ state: 'accepted', acceptedBy: invitee.user.uid });
    // The users/{uid} mirror follows through onMemberWritten.
    await vi.waitFor(
      async () => expect((await adminDb().doc(paths.user(invitee.user.uid)).get()).get(`workspaces.${workspaceId}`)).toBe('viewer'),
      poll,
    );

    const twice = await failure(invitee.call('acceptInvitation', { workspaceId, invitationId: link.invitationId, token: link.token }));
    expect(twice).toMatchObject({ code: 'functions/failed-precondition', message: 'This invitation was already accepted.' });

    const audit = await auditEntries(workspaceId);
    expect(audit.map((entry) => entry.action)).toEqual(['member.invited', 'invitation.accepted']);
    expect(audit[0]).toMatchObject({
      actor: { type: 'user', uid: owner.user.uid, email: emailOf(owner) },
      target: { type: 'invitation', id: invited.invitationId, name: emailOf(invitee) },
      after: { email: emailOf(invitee), role: 'viewer' },
    });
    expect(audit[1]).toMatchObject({
      actor: { type: 'user', uid: invitee.user.uid },
      target: { type: 'member', id: invitee.user.uid },
      after: { role: 'viewer' },
    });
    expect((audit[1]!.expireAt as Timestamp).toMillis() - (audit[1]!.at as Timestamp).toMillis()).toBeCloseTo(365 * 86_400_000, -5);
  });

  it('refuses another address, an unverified one, a wrong token, a revoked and an expired invitation, each saying why', async () => {
    const { owner, workspaceId } = await team();
    const unverified = await person('unverified', { verified: false });
    const { invitationId } = await owner.call<{ invitationId: string }>('inviteMember', { workspaceId, email: emailOf(unverified), role: 'admin' });
    const { token } = await latestLink(emailOf(unverified));

    expect(await failure(unverified.call('acceptInvitation', { workspaceId, invitationId, token }))).toMatchObject({
      code: 'functions/permission-denied',
      message: expect.stringMatching(/^Verify your email address first/),
    });
    const stranger = await person('stranger');
    expect(await failure(stranger.call('acceptInvitation', { workspaceId, invitationId, token }))).toMatchObject({
      code: 'functions/permission-denied',
      message: expect.stringMatching(/for another email address/),
    });
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(await failure(unverified.call('acceptInvitation', { workspaceId, invitationId, token: wrong }))).toMatchObject({
      code: 'functions/permission-denied',
      message: expect.stringMatching(/link is not valid/),
    });

    // Expired: the clock passes expiresAt.
    const ref = adminDb().doc(paths.invitation(workspaceId, invitationId));
    await ref.update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
    const invitee = await person('expired');
    await ref.update({ email: emailOf(invitee) });
    expect(await failure(invitee.call('acceptInvitation', { workspaceId, invitationId, token }))).toMatchObject({
      code: 'functions/failed-precondition',
      message: 'This invitation expired. Ask for a new one.',
    });

    await owner.call('revokeInvitation', { workspaceId, invitationId });
    expect((await ref.get()).data()).toMatchObject({ state: 'revoked', revokedBy: { uid: owner.user.uid } });
    expect(await failure(invitee.call('acceptInvitation', { workspaceId, invitationId, token }))).toMatchObject({
      code: 'functions/failed-precondition',
      message: 'This invitation was revoked. Ask for a new one.',
    });
    expect(await failure(owner.call('revokeInvitation', { workspaceId, invitationId }))).toMatchObject({ code: 'functions/failed-precondition' });
    expect(await failure(owner.call('resendInvitation', { workspaceId, invitationId }))).toMatchObject({ code: 'functions/failed-precondition' });
    // Nobody became a member on any of these.
    const members = await adminDb().collection(paths.members(workspaceId)).get();
    expect(members.docs.map((member) => member.id)).toEqual([owner.user.uid]);
    expect((await auditEntries(workspaceId)).map((entry) => entry.action)).toEqual(['member.invited', 'invitation.revoked']);
  });

  it('resending mails a new link, kills the old one and renews the expiry; inviting a pending address again is a resend', async () => {
    const { owner, workspaceId } = await team();
    const invitee = await person('resent');
    const first = await owner.call<{ invitationId: string }>('inviteMember', { workspaceId, email: emailOf(invitee), role: 'viewer' });
    const old = await latestLink(emailOf(invitee));
    const ref = adminDb().doc(paths.invitation(workspaceId, first.invitationId));
    await ref.update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });

    await owner.call('resendInvitation', { workspaceId, invitationId: first.invitationId });
    const second = await latestLink(emailOf(invitee), 2);
    expect(second.token).not.toBe(old.token);
    expect(((await ref.get()).get('expiresAt') as Timestamp).toMillis()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);

    const again = await owner.call<{ invitationId: string; resent: boolean }>('inviteMember', {
      workspaceId,
      email: emailOf(invitee),
      role: 'admin',
    });
    expect(again).toEqual({ invitationId: first.invitationId, resent: true });
    const third = await latestLink(emailOf(invitee), 3);
    expect((await ref.get()).data()).toMatchObject({ role: 'admin', sends: 3, state: 'pending' });
    expect((await adminDb().collection(paths.invitations(workspaceId)).get()).size).toBe(1);

    expect(await failure(invitee.call('acceptInvitation', { workspaceId, invitationId: first.invitationId, token: second.token }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    expect(await invitee.call('acceptInvitation', { workspaceId, invitationId: first.invitationId, token: third.token })).toEqual({
      workspaceId,
      role: 'admin',
    });
    const audit = await auditEntries(workspaceId);
    expect(audit.map((entry) => entry.action)).toEqual(['member.invited', 'invitation.resent', 'invitation.resent', 'invitation.accepted']);
    expect(audit[2]).toMatchObject({ before: { role: 'viewer' }, after: { role: 'admin' } });

    // Now a member: inviting the address again is refused and mails nothing.
    expect(await failure(owner.call('inviteMember', { workspaceId, email: emailOf(invitee), role: 'viewer' }))).toMatchObject({
      code: 'functions/failed-precondition',
      message: 'This address is already a member of this workspace.',
    });
    expect(await mailedLinks(emailOf(invitee))).toHaveLength(3);
  });

  it('lets owners and admins invite (admins not owners) and refuses viewers, outsiders and signed-out callers', async () => {
    const { owner, workspaceId, add } = await team();
    const admin = await add('admin');
    const viewer = await add('viewer');
    const outsider = await person('outsider');
    const target = `target-${Date.now()}@vigil.test`;

    expect(await failure(admin.call('inviteMember', { workspaceId, email: target, role: 'owner' }))).toMatchObject({
      code: 'functions/permission-denied',
      message: 'Only an owner can invite an owner.',
    });
    expect(await failure(viewer.call('inviteMember', { workspaceId, email: target, role: 'viewer' }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    expect(await failure(outsider.call('inviteMember', { workspaceId, email: target, role: 'viewer' }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    const anonymous = await callRaw('inviteMember', { data: { workspaceId, email: target, role: 'viewer' } });
    expect(anonymous.json?.error?.status).toBe('UNAUTHENTICATED');
    const bad = await failure(owner.call('inviteMember', { workspaceId, email: 'not an address', role: 'viewer' }));
    expect(bad).toMatchObject({ code: 'functions/invalid-argument', message: expect.stringMatching(/^Invalid request\. email: /) });
    expect(await failure(owner.call('inviteMember', { workspaceId: 'a/b', email: target, role: 'viewer' }))).toMatchObject({
      code: 'functions/invalid-argument',
    });
    expect((await adminDb().collection(paths.invitations(workspaceId)).get()).size).toBe(0);
    expect(await messagesTo(target)).toHaveLength(0);

    const byAdmin = await admin.call<{ invitationId: string }>('inviteMember', { workspaceId, email: target, role: 'admin' });
    await latestLink(target);
    // A viewer may not revoke or resend it either.
    expect(await failure(viewer.call('revokeInvitation', { workspaceId, invitationId: byAdmin.invitationId }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    expect(await failure(viewer.call('resendInvitation', { workspaceId, invitationId: byAdmin.invitationId }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    // An owner's invitation of an owner is out of an admin's reach.
    const ownerTarget = `owner-target-${Date.now()}@vigil.test`;
    const byOwner = await owner.call<{ invitationId: string }>('inviteMember', { workspaceId, email: ownerTarget, role: 'owner' });
    expect(await failure(admin.call('revokeInvitation', { workspaceId, invitationId: byOwner.invitationId }))).toMatchObject({
      code: 'functions/permission-denied',
    });
    expect(await failure(admin.call('inviteMember', { workspaceId, email: ownerTarget, role: 'viewer' }))).toMatchObject({
      code: 'functions/permission-denied',
    });
  });

  it("records the caller's address: the first X-Forwarded-For hop", async () => {
    const { owner, workspaceId } = await team();
    const target = `ip-${Date.now()}@vigil.test`;
    const response = await callRaw(
      'inviteMember',
      { data: { workspaceId, email: target, role: 'viewer' } },
      { authorization: `Bearer ${await owner.user.getIdToken()}`, 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
    );
    expect(response.json?.error).toBeUndefined();
    expect(await auditEntries(workspaceId)).toMatchObject([{ action: 'member.invited', ip: '203.0.113.9' }]);
  });

  it('sends at most 20 invitation emails per workspace and UTC day', async () => {
    const { owner, workspaceId } = await team();
    const today = new Date().toISOString().slice(0, 10);
    await adminDb().doc(paths.invitationQuota(workspaceId)).set({ day: today, sent: 20 });
    const target = `quota-${Date.now()}@vigil.test`;
    const refused = await failure(owner.call('inviteMember', { workspaceId, email: target, role: 'viewer' }));
    expect(refused).toMatchObject({ code: 'functions/resource-exhausted', message: expect.stringMatching(/20 invitation emails for today/) });
    expect((await adminDb().collection(paths.invitations(workspaceId)).get()).size).toBe(0);
    expect(await auditEntries(workspaceId)).toEqual([]);
    expect(await messagesTo(target)).toHaveLength(0);

    await adminDb().doc(paths.invitationQuota(workspaceId)).set({ day: today, sent: 19 });
    await owner.call('inviteMember', { workspaceId, email: target, role: 'viewer' });
    expect((await adminDb().doc(paths.invitationQuota(workspaceId)).get()).data()).toEqual({ day: today, sent: 20 });
  });
});
