// Deferred agent writes (deferred-write.ts): an agent that sends its tickets gets its document
// written every other unchanged report, the deferred report's state riding the ticket to the next
// write, whichever instance it reaches (instances and counting: tests/support/ingest-in-process.ts).
import { paths, type IngestReply, type ReportInput } from '@vigil/schema';
import type { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { freshReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { newIngestInstance, sendCounted, useCountedIngest, type CountedReply, type IngestHandler } from '../../../tests/support/ingest-in-process.js';
import { OFFLINE_GRACE_SECONDS } from '../alerts/silence.js';
import { DEFERRAL_MARGIN_INTERVALS } from './deferred-write.js';

const { agent } = useCountedIngest();

/** A report whose content differs from freshReport's: its test fails. */
function failingReport(): ReportInput {
  const report = freshReport();
  return {
    ...report,
    solutions: report.solutions.map((solution) => ({
      ...solution,
      tests: solution.tests.map((test) => ({ ...test, passed: false, message: 'EICAR not detected' })),
    })),
  };
}

const agentDoc = (web: EnrolledAgent) => adminDb().doc(paths.agent(web.workspaceId, web.agentId)).get();

/**
 * An agent brought to the steady state: its first report (no ticket yet), then reports with their
 * tickets until one is deferred. Returns the last ticket (the deferred report's) and what was sent.
 */
async function untilDeferred(instance: IngestHandler, web: EnrolledAgent) {
  const sent: CountedReply[] = [await sendCounted(instance, web.key)];
  while (sent.length < 6 && sent.at(-1)!.writes > 0) sent.push(await sendCounted(instance, web.key, sent.at(-1)!.ticket));
  return sent;
}

/** A new agent on one instance, past a deferred report and the written one after it (with its ticket). */
async function pastADeferral(name: string) {
  const web = await agent(name);
  const instance = await newIngestInstance();
  const sent = await untilDeferred(instance, web);
  const written = await sendCounted(instance, web.key, sent.at(-1)!.ticket);
  expect(written.writes).toBe(1);
  return { web, instance, written };
}

describe('deferred agent writes', () => {
  it('writes the agent document every other unchanged report once the agent sends its tickets', async () => {
    const web = await agent('deferred-steady');
    const a = await newIngestInstance();
    const sent = [await sendCounted(a, web.key)];
    for (let index = 1; index < 7; index += 1) sent.push(await sendCounted(a, web.key, sent.at(-1)!.ticket));
    for (const each of sent) expect(each.reply).toMatchObject({ accepted: true, duplicate: false });
    // The first (stored: a new content) without a ticket; the second's ticket came with a deadline
    // without the margin, so it is written too; from then on every other report.
    expect(sent.map((each) => each.writes)).toEqual([2, 1, 1, 0, 1, 0, 1]);
    expect(sent.every((each) => each.ticket?.startsWith('v2.'))).toBe(true);
    expect((await agentDoc(web)).get('receiptSequence')).toBe(7);
  });

  it("carries a deferred report's state in its ticket to the next write on another instance, and sets the deadline with the margin", async () => {
    const web = await agent('deferred-carried');
    const a = await newIngestInstance();
    const sent = await untilDeferred(a, web);
    const deferred = sent.at(-1)!;
    expect(deferred).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 0, writes: 0 });
    const beforeDoc = await agentDoc(web);
    // The document is as the report before left it.
    expect(beforeDoc.get('lastReportId')).toBe((sent.at(-2)!.reply as IngestReply).reportId);
    const unchangedBefore = beforeDoc.get('unchangedReports') as number;

    // A cold instance: the key read, the agent from the ticket, one write.
    const b = await newIngestInstance();
    const next = await sendCounted(b, web.key, deferred.ticket);
    expect(next).toMatchObject({ reply: { accepted: true, duplicate: false }, reads: 1, writes: 1 });
    const after = await agentDoc(web);
    expect(after.get('lastReportId')).toBe((next.reply as IngestReply).reportId);
    // Both reports counted: the deferred one's state was written with this one.
    expect(after.get('unchangedReports')).toBe(unchangedBefore + 2);
    expect(after.get('receiptSequence')).toBe((beforeDoc.get('receiptSequence') as number) + 2);
    const interval = after.get('intervalSeconds') as number;
    const lastSeen = (after.get('lastSeenAt') as Timestamp).toMillis();
    const deadline = (after.get('offlineAt') as Timestamp).toMillis();
    const expected = (3 * interval + OFFLINE_GRACE_SECONDS + DEFERRAL_MARGIN_INTERVALS * interval) * 1000;
    expect(Math.abs(deadline - lastSeen - expected)).toBeLessThan(2_000);
  });

  it('answers a retried deferred report as a duplicate, writing nothing', async () => {
    const web = await agent('deferred-retried');
    const a = await newIngestInstance();
    const first = await untilDeferred(a, web);
    const written = first.at(-2)!;
    const report = freshReport();
    // The report after the deferred one is written; the one after that is deferred.
    const writtenNext = await sendCounted(a, web.key, first.at(-1)!.ticket);
    expect(writtenNext.writes).toBe(1);
    const deferred = await sendCounted(a, web.key, writtenNext.ticket, report);
    expect(deferred.writes).toBe(0);
    // Its reply was lost: the agent sends it again with the ticket it had.
    const retried = await sendCounted(a, web.key, writtenNext.ticket, report);
    expect(retried).toMatchObject({ reply: { accepted: true, duplicate: true, reportId: report.reportId }, reads: 0, writes: 0 });
    expect(written.reply).toMatchObject({ accepted: true });
  });

  it('writes at once a changed report and every report of an agent without tickets', async () => {
    const { web, instance: a, written } = await pastADeferral('deferred-never');
    // An even sequence again, but its content changed: stored, so written (the agent and the report).
    const changed = await sendCounted(a, web.key, written.ticket, failingReport());
    expect(changed).toMatchObject({ reply: { accepted: true, duplicate: false }, writes: 2 });

    // Without tickets every report is written, as before deferral existed.
    const plain = await agent('deferred-no-ticket');
    const writes: number[] = [];
    for (let index = 0; index < 4; index += 1) writes.push((await sendCounted(a, plain.key)).writes);
    expect(writes).toEqual([2, 1, 1, 1]);
  });

  it('keeps nothing of a report deferred after a revocation, and refuses the next', async () => {
    const { web, instance: a, written } = await pastADeferral('deferred-revoked');
    await web.owner.call('revokeAgent', { workspaceId: web.workspaceId, agentId: web.agentId });
    const revokedDoc = await agentDoc(web);
    // The instance's copy predates the revocation: this unchanged report is answered and kept nowhere.
    const deferred = await sendCounted(a, web.key, written.ticket);
    expect(deferred).toMatchObject({ reply: { accepted: true }, writes: 0 });
    const unchanged = await agentDoc(web);
    expect(unchanged.updateTime?.isEqual(revokedDoc.updateTime!)).toBe(true);
    expect(unchanged.get('revokedAt')).not.toBeNull();
    // The next one writes, so it meets the revocation: refused.
    const refused = await sendCounted(a, web.key, deferred.ticket);
    expect(refused).toMatchObject({ reply: 'unauthenticated', writes: 0 });
  });
});
