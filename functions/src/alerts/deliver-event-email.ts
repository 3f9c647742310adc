// One attempt at an event's email, shared by the trigger (sendEventEmail, at once) and the sweep
// (sweepEmails, for the ones lost or due for a retry). In order:
//   1. recipients, read outside any transaction: members who chose `instant` for the kind, and of
//      those only the verified, enabled Auth accounts (recipients.ts);
//   2. a transaction that re-reads the event and claims it (lease, attempt count) unless its agent
//      is gone or revoked, nobody may receive it, or the workspace's hourly cap (email-cap.ts: the
//      workspace document, read beside the recipients, may override MAX_EMAILS_PER_HOUR) is spent
//      (then it is counted for that hour's summary email instead);
//   3. the send, then the outcome, recorded only while the claim is still ours: sent, retrying (with
//      the next attempt's time) or failed. A crash anywhere leaves a claim whose lease expires, and
//      the sweep tries again: at least once, never lost.
import { eventSchema, paths, type EventKind, type VigilEvent } from '@vigil/schema';
import { Timestamp, type DocumentReference, type DocumentSnapshot, type Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { dashboardUrl, emailsPerHourCap, mailFrom, sendgridApiKey, sendgridBaseUrl, sendgridEventTemplateId } from '../params.js';
import { firestore } from '../firebase/admin.js';
import { authAccounts } from './auth-accounts.js';
import { claimWrite, deliveryFields, outcomeWrite, settle, type Outcome } from './delivery-record.js';
import { emailHourLimit } from './email-cap.js';
import { renderEventEmail, sendgridTemplateData, type EventEmailInput } from './email-content.js';
import { emailFacts } from './email-formatting.js';
import { claimDecision, failedSendOutcome, hourEndMs, hourKey, type ClaimDecision } from './email-delivery.js';
import { createMailer, sendFailure } from './mailer.js';
import { expiresAt } from './retention.js';
import { membersChoosing, verifiedRecipients, type Recipients } from './recipients.js';

export type DeliveryResult = 'not_due' | 'missing' | 'sent' | 'retrying' | 'failed' | 'skipped' | 'capped' | 'lost_claim';

export function mailer() {
  return createMailer({ apiKey: sendgridApiKey.value(), baseUrl: sendgridBaseUrl.value(), from: mailFrom.value() });
}

function decisionFor(snapshot: DocumentSnapshot, nowMs: number, by: 'trigger' | 'sweep'): ClaimDecision {
  const fields = deliveryFields(snapshot, 'email');
  if (!fields) return 'not_due';
  const createdAt: unknown = snapshot.get('createdAt');
  const createdAtMs = createdAt instanceof Timestamp ? createdAt.toMillis() : 0;
  return claimDecision(fields, { nowMs, createdAtMs, by });
}

/** Whether the sweep has work on this event now (a cheap check on a query result, before any read). */
export function eventEmailDue(snapshot: DocumentSnapshot, nowMs: number): boolean {
  return decisionFor(snapshot, nowMs, 'sweep') !== 'not_due';
}

async function recipientsOf(workspaceId: string, kind: EventKind): Promise<Recipients> {
  const members = await firestore().collection(paths.members(workspaceId)).get();
  const uids = membersChoosing(
    members.docs.map((member) => ({ uid: member.id, notifications: member.get('notifications') as unknown })),
    [kind],
    'instant',
  );
  return verifiedRecipients(uids, uids.length > 0 ? await authAccounts(uids) : []);
}

type Claim = { result: Exclude<DeliveryResult, 'sent' | 'retrying' | 'lost_claim'> } | { result: 'claimed'; attempts: number };

/** The transaction of step 2. All reads come before any write, as Firestore requires. */
async function claim(
  tx: Transaction,
  ref: DocumentReference,
  event: VigilEvent,
  recipients: Recipients,
  at: { workspaceId: string; nowMs: number; by: 'trigger' | 'sweep'; cap: number; retentionDays: unknown },
): Promise<Claim> {
  const db = firestore();
  const current = await tx.get(ref);
  if (!current.exists) return { result: 'missing' };
  const decision = decisionFor(current, at.nowMs, at.by);
  if (decision === 'not_due') return { result: 'not_due' };
  const counts = { recipients: recipients.to.length, unverified: recipients.unverified };
  const finish = (outcome: Outcome) => {
    tx.update(ref, outcomeWrite('email', { ...outcome, extra: { ...counts, ...outcome.extra } }));
    return { result: outcome.state as Claim['result'] } as Claim;
  };
  if (decision === 'give_up') return finish({ state: 'failed', reason: 'gave_up', error: (current.get('email.error') as string | null) ?? null });

  const agent = await tx.get(db.doc(paths.agent(at.workspaceId, event.agentId)));
  const countedHour = current.get('email.hour') as string | null | undefined;
  const hour = countedHour ? undefined : hourKey(at.nowMs);
  const hourRef = hour ? db.doc(paths.emailHour(at.workspaceId, hour)) : undefined;
  const hourDoc = hourRef ? await tx.get(hourRef) : undefined;

  if (!agent.exists) return finish({ state: 'skipped', reason: 'agent_deleted' });
  if (agent.get('revokedAt') != null) return finish({ state: 'skipped', reason: 'agent_revoked' });
  if (recipients.to.length === 0) return finish({ state: 'skipped', reason: recipients.unverified > 0 ? 'no_verified_recipients' : 'no_recipients' });

  if (hour && hourRef && hourDoc) {
    const sent = Number(hourDoc.get('sent') ?? 0);
    const fresh = !hourDoc.exists;
    const endsAtMs = hourEndMs(hour);
    // A new hour expires with the workspace's retention after it ends (its TTL field; retention.ts).
    const base = fresh
      ? {
          hour,
          endsAt: Timestamp.fromMillis(endsAtMs),
          sent: 0,
          capped: 0,
          cappedKinds: {},
          summary: null,
          expireAt: Timestamp.fromDate(expiresAt(endsAtMs, at.retentionDays)),
        }
      : {};
    if (sent >= at.cap) {
      const cappedKinds = { ...((hourDoc.get('cappedKinds') as Record<string, number> | undefined) ?? {}) };
      cappedKinds[event.kind] = (Object.hasOwn(cappedKinds, event.kind) ? Number(cappedKinds[event.kind]) : 0) + 1;
      const summary = hourDoc.get('summary') ?? { state: 'pending', at: null, error: null, attempts: 0 };
      tx.set(hourRef, { ...base, capped: Number(hourDoc.get('capped') ?? 0) + 1, cappedKinds, summary }, { merge: true });
      return finish({ state: 'capped', reason: 'hourly_cap', extra: { hour } });
    }
    tx.set(hourRef, { ...base, sent: sent + 1 }, { merge: true });
  }
  const attempts = Number(current.get('email.attempts') ?? 0) + 1;
  tx.update(ref, claimWrite('email', attempts, at.nowMs, { ...counts, hour: countedHour ?? hour }));
  return { result: 'claimed', attempts };
}

/** The workspace's hourly cap: its `maxEmailsPerHour` when well-formed, else MAX_EMAILS_PER_HOUR. */
function hourlyCap(workspaceId: string, workspace: DocumentSnapshot): number {
  const { limit, ignoredOverride } = emailHourLimit(emailsPerHourCap(), workspace.get('maxEmailsPerHour'));
  if (ignoredOverride !== undefined) {
    logger.warn('workspace maxEmailsPerHour is not a whole number of 0 or more; MAX_EMAILS_PER_HOUR applies', {
      workspaceId,
      maxEmailsPerHour: String(ignoredOverride),
    });
  }
  return limit;
}

function emailInput(workspaceId: string, workspaceName: string, event: VigilEvent): EventEmailInput {
  return { workspace: { id: workspaceId, name: workspaceName }, ...emailFacts(event), dashboardUrl: dashboardUrl.value() };
}

export async function deliverEventEmail(
  workspaceId: string,
  eventId: string,
  options: { by: 'trigger' | 'sweep'; nowMs?: number },
): Promise<DeliveryResult> {
  const nowMs = options.nowMs ?? Date.now();
  const db = firestore();
  const ref = db.doc(paths.event(workspaceId, eventId));
  const first = await ref.get();
  if (!first.exists) return 'missing';
  if (decisionFor(first, nowMs, options.by) === 'not_due') return 'not_due';

  const parsed = eventSchema.safeParse(first.data());
  if (!parsed.success) {
    await db.runTransaction(async (tx) => {
      const current = await tx.get(ref);
      if (current.exists && decisionFor(current, nowMs, options.by) !== 'not_due') {
        tx.update(ref, outcomeWrite('email', { state: 'failed', reason: 'malformed', error: 'event document is malformed' }));
      }
    });
    logger.warn('event email not sent: malformed event', { workspaceId, eventId });
    return 'failed';
  }
  const event = parsed.data;
  // The workspace (its cap now, its name for the email) is read beside the recipients: no extra wait.
  const [recipients, workspace] = await Promise.all([recipientsOf(workspaceId, event.kind), db.doc(paths.workspace(workspaceId)).get()]);
  const cap = hourlyCap(workspaceId, workspace);
  const retentionDays: unknown = workspace.get('settings.retentionDays');
  const claimed = await db.runTransaction((tx) => claim(tx, ref, event, recipients, { workspaceId, nowMs, by: options.by, cap, retentionDays }));
  if (claimed.result !== 'claimed') {
    if (claimed.result !== 'not_due' && claimed.result !== 'missing') {
      logger.info('event email not sent', { workspaceId, eventId, result: claimed.result, unverified: recipients.unverified });
    }
    return claimed.result;
  }

  const input = emailInput(workspaceId, String(workspace.get('name') ?? workspaceId), event);
  const templateId = sendgridEventTemplateId.value() || undefined;
  const to = recipients.to.map((recipient) => recipient.email);
  try {
    await mailer().send({ to, ...renderEventEmail(input), templateId, templateData: templateId ? sendgridTemplateData(input) : undefined });
  } catch (error) {
    const failure = sendFailure(error, nowMs);
    const { next, outcome } = failedSendOutcome({ attempts: claimed.attempts, failure, nowMs });
    const settled = await settle(db, ref, 'email', claimed.attempts, outcome);
    (next.state === 'retrying' ? logger.warn : logger.error)('event email failed', {
      workspaceId,
      eventId,
      attempt: claimed.attempts,
      state: next.state,
      error: failure.message,
    });
    return settled ? next.state : 'lost_claim';
  }
  const settled = await settle(db, ref, 'email', claimed.attempts, { state: 'sent' });
  logger.info('event email sent', {
    workspaceId,
    eventId,
    kind: event.kind,
    recipients: to.length,
    unverified: recipients.unverified,
    attempt: claimed.attempts,
  });
  return settled ? 'sent' : 'lost_claim';
}
