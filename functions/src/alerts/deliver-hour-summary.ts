// The summary email of one hour over a workspace's cap (workspaces/{ws}/emailHours/{hour}): once the
// hour is over, to the verified members who wanted at least one of the capped kinds instantly. Its
// delivery (`summary`) is claimed, retried and settled exactly like an event's email.
import { EVENT_KINDS, emailHourSchema, paths } from '@vigil/schema';
import type { DocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { dashboardUrl } from '../params.js';
import { firestore } from '../firebase/admin.js';
import { authAccounts } from './auth-accounts.js';
import { mailer, type DeliveryResult } from './deliver-event-email.js';
import { claimWrite, deliveryFields, outcomeWrite, settle } from './delivery-record.js';
import { failedSendOutcome, hourEndMs, summaryDue } from './email-delivery.js';
import { sendFailure } from './mailer.js';
import { membersChoosing, verifiedRecipients } from './recipients.js';
import { renderHourSummary } from './summary-content.js';

function decisionFor(snapshot: DocumentSnapshot, nowMs: number) {
  const fields = deliveryFields(snapshot, 'summary');
  const hour = snapshot.get('hour');
  if (!fields || typeof hour !== 'string') return 'not_due';
  return summaryDue(fields, { nowMs, hourEndMs: hourEndMs(hour) });
}

export function hourSummaryDue(snapshot: DocumentSnapshot, nowMs: number): boolean {
  return decisionFor(snapshot, nowMs) !== 'not_due';
}

export async function deliverHourSummary(workspaceId: string, hour: string, nowMs = Date.now()): Promise<DeliveryResult> {
  const db = firestore();
  const ref = db.doc(paths.emailHour(workspaceId, hour));
  const first = await ref.get();
  if (!first.exists) return 'missing';
  if (decisionFor(first, nowMs) === 'not_due') return 'not_due';
  const parsed = emailHourSchema.safeParse(first.data());
  if (!parsed.success) {
    logger.error('hour summary not sent: malformed email hour', { workspaceId, hour });
    return 'not_due';
  }
  const kinds = EVENT_KINDS.filter((kind) => Number(parsed.data.cappedKinds[kind] ?? 0) > 0);
  const members = await db.collection(paths.members(workspaceId)).get();
  const uids = membersChoosing(
    members.docs.map((member) => ({ uid: member.id, notifications: member.get('notifications') as unknown })),
    kinds,
    'instant',
  );
  const recipients = verifiedRecipients(uids, uids.length > 0 ? await authAccounts(uids) : []);

  const claimed = await db.runTransaction(async (tx) => {
    const current = await tx.get(ref);
    if (!current.exists) return { result: 'missing' as const };
    const decision = decisionFor(current, nowMs);
    if (decision === 'not_due') return { result: 'not_due' as const };
    const counts = { recipients: recipients.to.length, unverified: recipients.unverified };
    if (decision === 'give_up') {
      tx.update(
        ref,
        outcomeWrite('summary', {
          state: 'failed',
          reason: 'gave_up',
          error: (current.get('summary.error') as string | null) ?? null,
          extra: counts,
        }),
      );
      return { result: 'failed' as const };
    }
    if (recipients.to.length === 0) {
      tx.update(
        ref,
        outcomeWrite('summary', { state: 'skipped', reason: recipients.unverified > 0 ? 'no_verified_recipients' : 'no_recipients', extra: counts }),
      );
      return { result: 'skipped' as const };
    }
    const attempts = Number(current.get('summary.attempts') ?? 0) + 1;
    tx.update(ref, claimWrite('summary', attempts, nowMs, counts));
    return { result: 'claimed' as const, attempts };
  });
  if (claimed.result !== 'claimed') return claimed.result;

  const workspace = await db.doc(paths.workspace(workspaceId)).get();
  const content = renderHourSummary({
    workspace: { id: workspaceId, name: String(workspace.get('name') ?? workspaceId) },
    hour,
    sent: parsed.data.sent,
    capped: parsed.data.capped,
    cappedKinds: parsed.data.cappedKinds,
    dashboardUrl: dashboardUrl.value(),
  });
  try {
    await mailer().send({ to: recipients.to.map((recipient) => recipient.email), ...content });
  } catch (error) {
    const failure = sendFailure(error, nowMs);
    const { next, outcome } = failedSendOutcome({ attempts: claimed.attempts, failure, nowMs });
    const settled = await settle(db, ref, 'summary', claimed.attempts, outcome);
    (next.state === 'retrying' ? logger.warn : logger.error)('hour summary email failed', {
      workspaceId,
      hour,
      attempt: claimed.attempts,
      error: failure.message,
    });
    return settled ? next.state : 'lost_claim';
  }
  const settled = await settle(db, ref, 'summary', claimed.attempts, { state: 'sent' });
  logger.info('hour summary email sent', { workspaceId, hour, capped: parsed.data.capped, recipients: recipients.to.length });
  return settled ? 'sent' : 'lost_claim';
}
