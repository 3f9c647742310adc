// The retention sweep (pruneOldData) against the emulator, which has no TTL: the sweep is what
// deletes here, so every rule of retention is checked through it (retention-policy.test.ts pins the
// TTL policy itself). Data is seeded directly, in workspaces of its own; the handler runs in-process.
import { paths } from '@vigil/schema';
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { enrollAgent, freshReport, sendReport, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb } from '../../../tests/support/emulators.js';
import { triggerPoll } from '../../../tests/support/report-path.js';
import { pruneOldData } from './prune-old-data.js';

const DAY = 86_400_000;
const enrolled: EnrolledAgent[] = [];
afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));

const db = () => adminDb();
const ts = (ms: number) => Timestamp.fromMillis(ms);
let seq = 0;
const uniqueWorkspace = (label: string) => `ret-${label}-${Date.now().toString(36)}-${(seq += 1)}`;

/** One document of each kind retention deletes, under `ws` (agent `a1`), written at `writtenAtMs`, with the given expiry (or none). */
function docsOfEveryKind(ws: string, id: string, writtenAtMs: number, expireAtMs: number | undefined) {
  const expiry = expireAtMs === undefined ? {} : { expireAt: ts(expireAtMs) };
  return [
    { ref: db().doc(paths.report(ws, 'a1', `report-${id}`)), data: { receivedAt: ts(writtenAtMs), ...expiry } },
    { ref: db().doc(paths.event(ws, `event-${id}`)), data: { createdAt: ts(writtenAtMs), ...expiry } },
    { ref: db().doc(paths.emailHour(ws, `hour-${id}`)), data: { endsAt: ts(writtenAtMs), ...expiry } },
    { ref: db().doc(paths.digest(ws, `digest-${id}`)), data: { periodEnd: ts(writtenAtMs), ...expiry } },
  ];
}

async function seed(docs: Array<{ ref: DocumentReference; data: Record<string, unknown> }>) {
  await Promise.all(docs.map(({ ref, data }) => ref.set(data)));
  return docs.map(({ ref }) => ref);
}

async function existing(refs: DocumentReference[]): Promise<string[]> {
  const snapshots = await db().getAll(...refs);
  return snapshots.filter((snapshot) => snapshot.exists).map((snapshot) => snapshot.ref.path);
}

const pathsOf = (refs: DocumentReference[]) => refs.map((ref) => ref.path);

/** Runs the sweep until a run says it is complete; how many runs that took. */
async function sweepUntilComplete(nowMs: number, options: Parameters<typeof pruneOldData>[1]): Promise<number> {
  for (let runs = 1; runs <= 100; runs += 1) {
    if ((await pruneOldData(nowMs, options)).complete) return runs;
  }
  throw new Error('the sweep never completed');
}

describe('retention sweep (pruneOldData)', () => {
  it('prunes an agent reports and events once expired, the newest report too, and keeps the state', async () => {
    // Was "keeps the newest report": that rule went with the scale model. state/current (never
    // deleted) holds the latest report's content, and ingest's daily checkpoint stores a recent
    // report for every agent that reports, so an expired newest report is deleted like any other.
    const web = await enrollAgent('retained-1');
    enrolled.push(web);
    await db().doc(paths.workspace(web.workspaceId)).update({ 'settings.retentionDays': 7 });
    const newest = freshReport();
    expect((await sendReport(web.key, newest)).status).toBe(200);
    await vi.waitFor(async () => {
      expect((await db().doc(paths.agentState(web.workspaceId, web.agentId)).get()).get('reportId')).toBe(newest.reportId);
    }, triggerPoll);

    const now = Date.now();
    const expired = { receivedAt: ts(now - 8 * DAY), expireAt: ts(now - DAY) };
    const live = { receivedAt: ts(now - 6 * DAY), expireAt: ts(now + DAY) };
    const reports = db().collection(paths.reports(web.workspaceId, web.agentId));
    const events = db().collection(paths.events(web.workspaceId));
    await Promise.all([
      reports.doc('old-report-1').set(expired),
      reports.doc('old-report-2').set(expired),
      reports.doc('recent-report').set(live),
      db()
        .doc(paths.report(web.workspaceId, web.agentId, newest.reportId))
        .update(expired),
      events.doc('old-event').set({ agentId: web.agentId, createdAt: expired.receivedAt, expireAt: expired.expireAt }),
      events.doc('recent-event').set({ agentId: web.agentId, createdAt: live.receivedAt, expireAt: live.expireAt }),
      // Pages of 2 make the handler page through more than one page of expired reports.
      ...Array.from({ length: 5 }, (_, index) => reports.doc(`old-page-${index}`).set(expired)),
    ]);
    await pruneOldData(now, { pageSize: 2 });
    expect((await reports.get()).docs.map((doc) => doc.id)).toEqual(['recent-report']);
    const left = (await events.get()).docs.map((doc) => doc.id);
    expect(left).toContain('recent-event');
    expect(left).not.toContain('old-event');
    expect((await db().doc(paths.agentState(web.workspaceId, web.agentId)).get()).exists).toBe(true);
  });

  it('deletes expired reports, events, email hours and digests, only those, the newest report too; the state stays', async () => {
    const now = Date.now();
    const ws = uniqueWorkspace('expired');
    await db()
      .doc(paths.workspace(ws))
      .set({ name: 'retention', settings: { retentionDays: 7, reportingIntervalSeconds: 300, failedTestThreshold: 1 } });
    // The agent's newest report has expired too: it goes (state/current keeps the latest, checkpoints a recent report).
    await db().doc(paths.agent(ws, 'a1')).set({ name: 'a1', status: 'online', lastReportId: 'report-expired-0' });
    const state = db().doc(paths.agentState(ws, 'a1'));
    await state.set({ reportId: 'report-expired-0' });
    const expired = await seed([0, 1, 2].flatMap((index) => docsOfEveryKind(ws, `expired-${index}`, now - 8 * DAY, now - DAY + index)));
    const dueNow = await seed(docsOfEveryKind(ws, 'due-now', now - 7 * DAY, now));
    const fresh = await seed(docsOfEveryKind(ws, 'fresh', now - 6 * DAY, now + DAY));
    // Audit entries expire by their own auditRetentionDays, stamped as expireAt: the expired pass takes them too.
    const auditEntry = (id: string, expireAtMs: number) => ({
      ref: db().doc(paths.auditEntry(ws, `audit-${id}`)),
      data: { at: ts(now - 400 * DAY), expireAt: ts(expireAtMs) },
    });
    const expiredAudit = await seed([auditEntry('expired', now - DAY)]);
    const freshAudit = await seed([auditEntry('fresh', now + DAY)]);

    // Pages of 2 make every collection's pass page more than once.
    const result = await pruneOldData(now, { pageSize: 2 });
    expect(result.complete).toBe(true);
    expect(result.failed).toBe(0);
    for (const kind of ['reports', 'events', 'emailHours', 'digests'] as const) expect(result[kind]).toBeGreaterThanOrEqual(4);
    expect(result.audit).toBeGreaterThanOrEqual(1);
    expect(await existing([...expired, ...dueNow, ...fresh, ...expiredAudit, ...freshAudit])).toEqual(pathsOf([...fresh, ...freshAudit]));
    expect((await state.get()).exists).toBe(true);
    expect((await db().doc(paths.agent(ws, 'a1')).get()).exists).toBe(true);
  });

  it('resumes a run cut short: each run stops after its pages, the next carries on, and in the end all expired are gone', async () => {
    const now = Date.now();
    const ws = uniqueWorkspace('resume');
    const expired = await seed(Array.from({ length: 4 }, (_, index) => docsOfEveryKind(ws, `old-${index}`, now - 40 * DAY, now - 10 * DAY)).flat());
    const fresh = await seed(docsOfEveryKind(ws, 'fresh', now, now + DAY));

    const first = await pruneOldData(now, { pageSize: 2, maxPages: 1 });
    expect(first.complete).toBe(false);
    expect((await existing(expired)).length).toBeGreaterThan(0);
    // Every run spends at least one page per collection and pass (an empty page too, and four per
    // workspace with a lowered retention), so later runs get more pages: the point is that they carry on.
    await sweepUntilComplete(now, { pageSize: 2, maxPages: 40 });
    expect(await existing([...expired, ...fresh])).toEqual(pathsOf(fresh));
  });

  it('a lowered retention deletes that workspace older data at once, then the rest as it ages, and clears its mark', async () => {
    const lowered = await enrollAgent('retention-lowered');
    const untouched = await enrollAgent('retention-kept');
    enrolled.push(lowered, untouched);
    const now = Date.now();
    // Both workspaces hold data stamped with the 30-day expiry.
    const seedFor = async (target: EnrolledAgent, id: string, ageDays: number) => {
      const writtenAt = now - ageDays * DAY;
      const expireAt = writtenAt + 30 * DAY;
      return seed([
        {
          ref: db().doc(paths.report(target.workspaceId, target.agentId, `r-${id}`)),
          data: { workspaceId: target.workspaceId, receivedAt: ts(writtenAt), expireAt: ts(expireAt) },
        },
        { ref: db().doc(paths.event(target.workspaceId, `e-${id}`)), data: { createdAt: ts(writtenAt), expireAt: ts(expireAt) } },
        { ref: db().doc(paths.emailHour(target.workspaceId, `h-${id}`)), data: { endsAt: ts(writtenAt), expireAt: ts(expireAt) } },
        { ref: db().doc(paths.digest(target.workspaceId, `d-${id}`)), data: { periodEnd: ts(writtenAt), expireAt: ts(expireAt) } },
      ]);
    };
    const old = await seedFor(lowered, 'old', 10);
    const recent = await seedFor(lowered, 'recent', 3);
    const elsewhere = [...(await seedFor(untouched, 'old', 10)), ...(await seedFor(untouched, 'recent', 3))];

    const workspace = db().doc(paths.workspace(lowered.workspaceId));
    await workspace.update({ 'settings.retentionDays': 7 });
    await vi.waitFor(async () => {
      expect((await workspace.get()).get('retentionCutoffPending')).toBeInstanceOf(Timestamp);
      expect((await db().doc(paths.agent(lowered.workspaceId, lowered.agentId)).get()).get('retentionDays')).toBe(7);
    }, triggerPoll);

    const first = await pruneOldData(now, { pageSize: 2 });
    expect(first.complete).toBe(true);
    expect(await existing([...old, ...recent, ...elsewhere])).toEqual(pathsOf([...recent, ...elsewhere]));
    // Documents from before the lowering are still around with their 30-day expiry: the mark stays.
    expect((await workspace.get()).get('retentionCutoffPending')).toBeInstanceOf(Timestamp);

    // Eight days on, the recent ones are past the 7 days too; the other workspace keeps its 30.
    const later = await pruneOldData(now + 8 * DAY, { pageSize: 2 });
    expect(later.loweredCleared).toBeGreaterThanOrEqual(1);
    expect(await existing([...recent, ...elsewhere])).toEqual(pathsOf(elsewhere));
    expect((await workspace.get()).get('retentionCutoffPending')).toBeUndefined();
  });

  it('a raised retention leaves the workspace unmarked', async () => {
    const raised = await enrollAgent('retention-raised');
    enrolled.push(raised);
    const workspace = db().doc(paths.workspace(raised.workspaceId));
    await workspace.update({ 'settings.retentionDays': 90 });
    await vi.waitFor(async () => {
      expect((await db().doc(paths.agent(raised.workspaceId, raised.agentId)).get()).get('retentionDays')).toBe(90);
    }, triggerPoll);
    expect((await workspace.get()).get('retentionCutoffPending')).toBeUndefined();
  });

  it('the one-off backfill gives agents their retentionDays, deletes documents without expireAt past their retention, stamps the rest, resumes, and runs once', async () => {
    const now = Date.now();
    const backfill = db().doc(paths.retentionBackfill());
    await backfill.delete();
    const ws = uniqueWorkspace('backfill');
    // onWorkspaceWritten copies the workspace's settings, once it has some, to the agent there (seen
    // on the sentinel; a workspace's creation copies nothing); one created after it, as before
    // agents carried retentionDays, lacks it.
    const sentinel = db().doc(paths.agent(ws, 'sentinel'));
    await db().doc(paths.workspace(ws)).set({ name: 'backfill' });
    await sentinel.set({ name: 'sentinel' });
    await db()
      .doc(paths.workspace(ws))
      .set({ name: 'backfill', settings: { retentionDays: 7, reportingIntervalSeconds: 300, failedTestThreshold: 1 } });
    await vi.waitFor(async () => expect((await sentinel.get()).get('retentionDays')).toBe(7), triggerPoll);
    const older = db().doc(paths.agent(ws, 'older'));
    await older.set({ name: 'from before agents carried retentionDays' });
    const old = await seed([0, 1, 2].flatMap((index) => docsOfEveryKind(ws, `old-${index}`, now - 8 * DAY - index, undefined)));
    const recent = await seed([0, 1, 2].flatMap((index) => docsOfEveryKind(ws, `recent-${index}`, now - 3 * DAY - index, undefined)));

    const first = await pruneOldData(now, { pageSize: 2, maxPages: 3 });
    expect(first.complete).toBe(false);
    expect((await backfill.get()).get('doneAt')).toBeUndefined();
    await sweepUntilComplete(now, { pageSize: 2, maxPages: 40 });
    expect((await backfill.get()).get('doneAt')).toBeInstanceOf(Timestamp);
    // The agent got its workspace's retention; what it stored meanwhile with the default expiry goes by age.
    expect((await older.get()).get('retentionDays')).toBe(7);
    expect((await db().doc(paths.workspace(ws)).get()).get('retentionCutoffPending')).toBeInstanceOf(Timestamp);

    expect(await existing([...old, ...recent])).toEqual(pathsOf(recent));
    for (const snapshot of await db().getAll(...recent)) {
      const writtenAt = ['receivedAt', 'createdAt', 'endsAt', 'periodEnd']
        .map((field) => snapshot.get(field) as Timestamp | undefined)
        .find(Boolean)!;
      expect((snapshot.get('expireAt') as Timestamp).toMillis()).toBe(writtenAt.toMillis() + 7 * DAY);
      if (snapshot.ref.path.includes('/reports/')) expect(snapshot.get('workspaceId')).toBe(ws);
    }
    // Done once: a later run visits nothing, even a document without expireAt written since (the writers stamp it).
    await seed(docsOfEveryKind(ws, 'after', now - 9 * DAY, undefined));
    expect((await pruneOldData(now)).backfilled).toBe(0);
  });
});

describe('what the writers store carries expireAt', () => {
  it('a stored report, and its state, after ingest', async () => {
    const web = await enrollAgent('retention-writers');
    enrolled.push(web);
    const report = freshReport();
    expect((await sendReport(web.key, report)).status).toBe(200);
    const stored = await db()
      .doc(paths.report(web.workspaceId, web.agentId, report.reportId))
      .get();
    const receivedAt = stored.get('receivedAt') as Timestamp;
    // Within a second: the expiry is days long, and ingest may take its clock apart from receivedAt's.
    expect(Math.abs((stored.get('expireAt') as Timestamp).toMillis() - (receivedAt.toMillis() + 30 * DAY))).toBeLessThan(1000);
    expect(stored.get('workspaceId')).toBe(web.workspaceId);
  });
});
