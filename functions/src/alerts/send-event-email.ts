// Trigger on workspaces/{ws}/events/{eventId}: where an event becomes an email. The event is
// claimed (email.state pending → sending) in a transaction, so a redelivered trigger sends nothing
// twice; the outcome (sent, skipped, failed) is recorded on the event, never thrown.
import { eventSchema, paths, type EventKind } from '@vigil/schema';
import { FieldValue, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import type { FirestoreEvent } from 'firebase-functions/v2/firestore';
import { dashboardUrl, mailFrom, sendgridApiKey, sendgridBaseUrl, sendgridEventTemplateId } from '../params.js';
import { firestore } from '../shared/admin.js';
import { renderEventEmail, sendgridTemplateData } from './email-content.js';
import { createMailer, describeSendError, type Mailer } from './mailer.js';
import { recipientsFor } from './recipients.js';

type Params = { workspaceId: string; eventId: string };

function mailer(): Mailer {
  return createMailer({ apiKey: sendgridApiKey.value(), baseUrl: sendgridBaseUrl.value(), from: mailFrom.value() });
}

export async function sendEventEmail(event: FirestoreEvent<QueryDocumentSnapshot | undefined, Params>): Promise<void> {
  const { workspaceId, eventId } = event.params;
  const db = firestore();
  const ref = db.doc(paths.event(workspaceId, eventId));

  const claimed = await db.runTransaction(async (tx) => {
    const current = await tx.get(ref);
    if (!current.exists || current.get('email.state') !== 'pending') return undefined;
    tx.update(ref, { 'email.state': 'sending' });
    return current.data();
  });
  if (!claimed) return;

  const record = (state: 'sent' | 'skipped' | 'failed', error: string | null, recipients: number) =>
    ref.update({ email: { state, at: FieldValue.serverTimestamp(), error, recipients } });

  const parsed = eventSchema.safeParse(claimed);
  if (!parsed.success) {
    await record('failed', 'event document is malformed', 0);
    logger.warn('event email not sent: malformed event', { workspaceId, eventId });
    return;
  }
  const stored = parsed.data;
  const [workspace, members] = await Promise.all([
    db.doc(paths.workspace(workspaceId)).get(),
    db.collection(paths.members(workspaceId)).get(),
  ]);
  const to = recipientsFor(members.docs.map((member) => member.data()), stored.kind as EventKind, 'instant');
  if (to.length === 0) {
    await record('skipped', null, 0);
    return;
  }

  const input = {
    workspace: { id: workspaceId, name: String(workspace.get('name') ?? workspaceId) },
    agent: { id: stored.agentId, name: stored.agentName, hostname: stored.hostname },
    event: {
      kind: stored.kind,
      details: stored.details,
      solutionIds: stored.solutionIds,
      reportId: stored.reportId,
      createdAt: new Date(stored.createdAt.toMillis()),
      occurredAt: stored.occurredAt ? new Date(stored.occurredAt) : null,
    },
    dashboardUrl: dashboardUrl.value(),
  };
  const content = renderEventEmail(input);
  const templateId = sendgridEventTemplateId.value() || undefined;
  try {
    await mailer().send({ to, ...content, templateId, templateData: templateId ? sendgridTemplateData(input) : undefined });
    await record('sent', null, to.length);
    logger.info('event email sent', { workspaceId, eventId, kind: stored.kind, recipients: to.length });
  } catch (error) {
    const message = describeSendError(error);
    await record('failed', message, to.length);
    logger.error('event email failed', { workspaceId, eventId, error: message });
  }
}
