// Scheduled daily: one digest email per verified member who chose `digest` for some kinds, covering
// their workspace's events of those kinds since THEIR last successful digest. Nothing is lost and
// nothing is sent twice:
//   - a run claims the workspace with a lease (digestLeaseUntil), so a retried or overlapping run
//     skips it;
//   - each member's window starts at digestProgress[uid] (where their last digest ended, or where a
//     failed one would have started), else at lastDigestAt, else a day ago;
//   - lastDigestAt advances to the run's end only when every member's digest was sent (or had
//     nothing in it); otherwise digestProgress keeps each member's own start for the next run;
//   - each run records what it sent, for which window, to whom (workspaces/{ws}/digests/{runId}).
import { eventSchema, paths, type DigestRun, type EventKind } from '@vigil/schema';
import { FieldPath, FieldValue, Timestamp, type DocumentReference, type DocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { dashboardUrl, sendgridDigestTemplateId } from '../params.js';
import { firestore } from '../firebase/admin.js';
import { authAccounts } from './auth-accounts.js';
import { mailer } from './deliver-event-email.js';
import { digestTemplateData, renderDigestEmail, type DigestInput } from './digest-content.js';
import { emailFacts } from './email-formatting.js';
import { describeSendError } from './mailer.js';
import { digestKinds, verifiedRecipients } from './recipients.js';
import { expiresAt } from './retention.js';

const DAY_MS = 86_400_000;
/** A run holds a workspace this long: longer than sending one workspace's digests takes. */
const DIGEST_LEASE_MS = 10 * 60_000;

interface Subscriber {
  uid: string;
  email: string;
  kinds: EventKind[];
  startMs: number;
}

function millis(value: unknown): number | undefined {
  return value instanceof Timestamp ? value.toMillis() : undefined;
}

/** Claims the workspace for this run; undefined when another run holds it. */
async function claimWorkspace(ref: DocumentReference, nowMs: number) {
  return firestore().runTransaction(async (tx) => {
    const current = await tx.get(ref);
    if (!current.exists || (millis(current.get('digestLeaseUntil')) ?? 0) > nowMs) return undefined;
    tx.update(ref, { digestLeaseUntil: Timestamp.fromMillis(nowMs + DIGEST_LEASE_MS) });
    const progress = current.get('digestProgress') as Record<string, unknown> | undefined;
    return {
      name: String(current.get('name') ?? ref.id),
      lastDigestAtMs: millis(current.get('lastDigestAt')),
      progressOf: (uid: string) => (progress && Object.hasOwn(progress, uid) ? millis(progress[uid]) : undefined),
    };
  });
}

async function eventsSince(workspaceId: string, startMs: number, endMs: number) {
  const snapshot = await firestore()
    .collection(paths.events(workspaceId))
    .where('createdAt', '>=', Timestamp.fromMillis(startMs))
    .where('createdAt', '<', Timestamp.fromMillis(endMs))
    .orderBy('createdAt')
    .get();
  return snapshot.docs.flatMap((doc) => {
    const parsed = eventSchema.safeParse(doc.data());
    return parsed.success ? [parsed.data] : [];
  });
}

async function digestWorkspace(workspace: DocumentSnapshot, nowMs: number): Promise<{ emails: number; failures: number } | undefined> {
  const db = firestore();
  const members = await db.collection(paths.members(workspace.id)).get();
  const wanted = members.docs
    .map((member) => ({ uid: member.id, kinds: digestKinds({ notifications: member.get('notifications') as unknown }) }))
    .filter((member) => member.kinds.length > 0);
  if (wanted.length === 0) return undefined;
  const recipients = verifiedRecipients(
    wanted.map((member) => member.uid),
    await authAccounts(wanted.map((member) => member.uid)),
  );
  if (recipients.to.length === 0) return undefined;

  const claim = await claimWorkspace(workspace.ref, nowMs);
  if (!claim) return undefined;
  const periodEnd = new Date(nowMs);
  const defaultStart = claim.lastDigestAtMs ?? nowMs - DAY_MS;
  const subscribers: Subscriber[] = recipients.to.map((recipient) => ({
    ...recipient,
    kinds: wanted.find((member) => member.uid === recipient.uid)!.kinds,
    startMs: claim.progressOf(recipient.uid) ?? defaultStart,
  }));
  const earliest = Math.min(...subscribers.map((subscriber) => subscriber.startMs));
  const events = earliest < nowMs ? await eventsSince(workspace.id, earliest, nowMs) : [];
  const templateId = sendgridDigestTemplateId.value() || undefined;
  const send = mailer();

  const outcomes: DigestRun['recipients'] = [];
  for (const subscriber of subscribers) {
    const mine = events.filter((event) => event.createdAt.toMillis() >= subscriber.startMs && subscriber.kinds.includes(event.kind));
    const input: DigestInput = {
      workspace: { id: workspace.id, name: claim.name },
      events: mine.map(emailFacts),
      periodStart: new Date(subscriber.startMs),
      periodEnd,
      dashboardUrl: dashboardUrl.value(),
    };
    const base = { uid: subscriber.uid, email: subscriber.email, periodStart: Timestamp.fromMillis(subscriber.startMs), events: mine.length };
    const content = renderDigestEmail(input);
    if (!content) {
      outcomes.push({ ...base, state: 'empty', error: null });
      continue;
    }
    try {
      await send.send({ to: [subscriber.email], ...content, templateId, templateData: templateId ? digestTemplateData(input) : undefined });
      outcomes.push({ ...base, state: 'sent', error: null });
    } catch (error) {
      const message = describeSendError(error);
      outcomes.push({ ...base, state: 'failed', error: message });
      logger.error('digest email failed', { workspaceId: workspace.id, error: message });
    }
  }

  const failures = outcomes.filter((outcome) => outcome.state === 'failed').length;
  const emails = outcomes.filter((outcome) => outcome.state === 'sent').length;
  const batch = db.batch();
  if (failures === 0) {
    batch.update(workspace.ref, {
      lastDigestAt: Timestamp.fromDate(periodEnd),
      digestProgress: FieldValue.delete(),
      digestLeaseUntil: FieldValue.delete(),
    });
  } else {
    // Each member's next window: from this run's end if theirs went out, from their own start if not.
    const progress: unknown[] = [];
    for (const outcome of outcomes) {
      progress.push(new FieldPath('digestProgress', outcome.uid), outcome.state === 'failed' ? outcome.periodStart : Timestamp.fromDate(periodEnd));
    }
    batch.update(workspace.ref, 'digestLeaseUntil', FieldValue.delete(), ...progress);
  }
  const run: DigestRun = {
    startedAt: Timestamp.fromMillis(nowMs),
    periodEnd: Timestamp.fromDate(periodEnd),
    state: failures === 0 ? (emails > 0 ? 'sent' : 'nothing') : emails > 0 ? 'partial' : 'failed',
    recipients: outcomes,
    unverified: recipients.unverified,
    // Kept for the workspace's retention after the period it covers (its TTL field; retention.ts).
    expireAt: Timestamp.fromDate(expiresAt(periodEnd.getTime(), workspace.get('settings.retentionDays'))),
  };
  batch.set(db.doc(paths.digest(workspace.id, periodEnd.toISOString())), run);
  await batch.commit();
  return { emails, failures };
}

export async function sendDigests(nowMs = Date.now()): Promise<{ workspaces: number; emails: number; failures: number }> {
  const workspaces = await firestore().collection(paths.workspaces()).get();
  let emails = 0;
  let failures = 0;
  for (const workspace of workspaces.docs) {
    const result = await digestWorkspace(workspace, nowMs);
    emails += result?.emails ?? 0;
    failures += result?.failures ?? 0;
  }
  logger.info('digests sent', { workspaces: workspaces.size, emails, failures });
  return { workspaces: workspaces.size, emails, failures };
}
