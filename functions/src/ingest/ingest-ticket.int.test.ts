// The agent ticket across instances, each its own fresh import of ingest-report.ts with its own
// agent cache and refused keys, their reads counted (tests/support/ingest-in-process.ts).
import { paths, parseApiKey, type IngestReply } from '@vigil/schema';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { adminDb } from '../../../tests/support/emulators.js';
import { newIngestInstance, sendCounted, useCountedIngest } from '../../../tests/support/ingest-in-process.js';

const { agent } = useCountedIngest();

describe('agent tickets across instances', () => {
  it('lets a report reach an instance whose copy of the agent is stale with no read; without the ticket it reads', async () => {
    const web = await agent('ticket-cold');
    const [a, b] = [await newIngestInstance(), await newIngestInstance()];

    const first = await sendCounted(a, web.key);
    expect(first).toMatchObject({ reads: 2, writes: 2 }); // the key and the agent; the agent and the first report
    expect(first.ticket).toMatch(/^v2\./);

    // A cold instance: the key (one read per key per instance lifetime), the agent from the ticket.
    const second = await sendCounted(b, web.key, first.ticket);
    expect(second).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 1, writes: 1 });

    // A's copy is stale now (B wrote the agent): with the ticket, no read at all.
    const third = await sendCounted(a, web.key, second.ticket);
    expect(third).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 0, writes: 1 });

    // B's copy is stale too; without a ticket it pays the refused commit and a read, as before tickets.
    const fourth = await sendCounted(b, web.key);
    expect(fourth).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 1, writes: 1 });

    // The fourth came without a ticket, so its write set silence.ts's own deadline; A's copy (the
    // third's ticket) is older than the agent. An unchanged report on an even receipt sequence is
    // deferred (deferred-write.ts) on that copy: nothing read, nothing written.
    const fifth = await sendCounted(a, web.key, third.ticket);
    expect(fifth).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 0, writes: 0 });
    // The next report writes over the document as it is (B's copy is current), whatever the stale
    // deferred copy held: the fifth kept nothing, and the sequence goes on from the fourth's.
    const sixth = await sendCounted(b, web.key, fifth.ticket);
    expect(sixth).toMatchObject({ reads: 0, writes: 1 });
    const stored = await adminDb().doc(paths.agent(web.workspaceId, web.agentId)).get();
    expect(stored.get('receiptSequence')).toBe(5);
    expect(stored.get('lastReportId')).toBe((sixth.reply as IngestReply).reportId);
    // An older ticket than the agent whose report is written: the precondition fails and the agent is read.
    const seventh = await sendCounted(a, web.key, third.ticket);
    expect(seventh).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 1, writes: 1 });
  });

  it('keeps issuing tickets while a key rotation is pending: the rotation costs no read per report', async () => {
    const web = await agent('ticket-rotation');
    const [a, b] = [await newIngestInstance(), await newIngestInstance()];
    await sendCounted(a, web.key);
    await sendCounted(b, web.key); // Both instances know the key now.
    // A dashboard request, as requestKeyRotation writes it (a nested Timestamp, fetched by nobody yet).
    await adminDb()
      .doc(paths.agent(web.workspaceId, web.agentId))
      .update({ keyRotation: { reason: 'dashboard', requestedAt: Timestamp.now(), fetchedAt: null } });
    const first = await sendCounted(a, web.key); // A's copy is stale: the refused commit and a read.
    expect(first).toMatchObject({ reply: { accepted: true, rotateKey: true }, reads: 1, writes: 1 });
    expect(first.ticket).toMatch(/^v2\./);
    // B's copy is stale too, but the ticket carries the pending rotation: no read, and still asked.
    const second = await sendCounted(b, web.key, first.ticket);
    expect(second).toMatchObject({ reply: { accepted: true, rotateKey: true }, reads: 0, writes: 1 });
    const third = await sendCounted(a, web.key, second.ticket);
    expect(third).toMatchObject({ reply: { accepted: true, rotateKey: true }, reads: 0, writes: 1 });
  });

  it('ignores a forged ticket: the agent is read and the report accepted', async () => {
    const web = await agent('ticket-forged');
    const [a, b] = [await newIngestInstance(), await newIngestInstance()];
    const first = await sendCounted(a, web.key);
    await sendCounted(b, web.key, first.ticket); // B knows the key; A's copy is stale.
    const [version, payload, mac] = first.ticket!.split('.') as [string, string, string];
    const forgedMac = `${version}.${payload}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect(await sendCounted(a, web.key, forgedMac)).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 1, writes: 1 });
    // Another agent's genuine ticket is no ticket for this key either.
    const other = await agent('ticket-other');
    const otherTicket = (await sendCounted(a, other.key)).ticket;
    await sendCounted(b, web.key); // A's copy of web stale again.
    expect(await sendCounted(a, web.key, otherTicket)).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 1, writes: 1 });
    expect(await sendCounted(a, web.key, 'v2.garbage.garbage')).toMatchObject({ reply: { accepted: true }, reads: 0, writes: 1 });
  });

  it('refuses a report whose ticket predates a revocation (the precondition fails, the agent is read)', async () => {
    const web = await agent('ticket-revoked');
    const [a, b] = [await newIngestInstance(), await newIngestInstance()];
    const first = await sendCounted(a, web.key);
    const second = await sendCounted(b, web.key, first.ticket); // B knows the key (not revoked when it read it).
    await web.owner.call('revokeAgent', { workspaceId: web.workspaceId, agentId: web.agentId });
    const after = await sendCounted(b, web.key, second.ticket);
    expect(after).toMatchObject({ reply: 'unauthenticated', reads: 1, writes: 0 });
    const stored = await adminDb().doc(paths.agent(web.workspaceId, web.agentId)).get();
    expect(stored.get('receiptSequence')).toBe(2);
  });

  it('gives a key from before tickets its secret once, then issues tickets for it', async () => {
    const web = await agent('ticket-old-key');
    const keyRef = adminDb().doc(paths.agentKey(parseApiKey(web.key)!.keyId));
    await keyRef.update({ ticketSecret: FieldValue.delete() });
    const a = await newIngestInstance();
    const first = await sendCounted(a, web.key);
    // The key, the agent; the secret, the agent, the first report.
    expect(first).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 2, writes: 3 });
    expect(first.ticket).toMatch(/^v2\./);
    const secret = (await keyRef.get()).get('ticketSecret') as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another cold instance reads the secret that was given, and takes the ticket.
    const b = await newIngestInstance();
    expect(await sendCounted(b, web.key, first.ticket)).toMatchObject({ reply: { accepted: true }, reads: 1, writes: 1 });
    expect((await keyRef.get()).get('ticketSecret')).toBe(secret);
  });
});
