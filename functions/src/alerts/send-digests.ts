// Scheduled daily: one digest email per member who chose `digest` for some kinds of event, covering
// only their workspace's events of those kinds since the previous digest. The period is claimed on
// the workspace (lastDigestAt) in a transaction before sending, so a retried run sends nothing twice.
import { eventSchema, paths, type EventKind } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions';
import { dashboardUrl, mailFrom, sendgridApiKey, sendgridBaseUrl, sendgridDigestTemplateId } from '../params.js';
import { firestore } from '../shared/admin.js';
import { digestTemplateData, renderDigestEmail } from './digest-content.js';
import { createMailer, describeSendError } from './mailer.js';
import { digestKinds } from './recipients.js';

const DAY_MS = 86_400_000;

export async function sendDigests(nowMs = Date.now()): Promise<{ workspaces: number; emails: number; failures: number }> {
  const db = firestore();
  const mailer = createMailer({ apiKey: sendgridApiKey.value(), baseUrl: sendgridBaseUrl.value(), from: mailFrom.value() });
  const periodEnd = new Date(nowMs);
  let emails = 0;
  let failures = 0;
  const workspaces = await db.collection(paths.workspaces()).get();
  for (const workspace of workspaces.docs) {
    const members = await db.collection(paths.members(workspace.id)).get();
    const subscribers = members.docs
      .map((member) => ({ email: member.get('email') as unknown, kinds: digestKinds(member.data()) }))
      .filter((member): member is { email: string; kinds: EventKind[] } => typeof member.email === 'string' && member.kinds.length > 0);
    if (subscribers.length === 0) continue;

    const periodStart = await db.runTransaction(async (tx) => {
      const current = await tx.get(workspace.ref);
      const previous = current.get('lastDigestAt');
      const start = previous instanceof Timestamp ? previous.toDate() : new Date(nowMs - DAY_MS);
      if (start.getTime() >= nowMs) return undefined;
      tx.update(workspace.ref, { lastDigestAt: Timestamp.fromDate(periodEnd) });
      return start;
    });
    if (!periodStart) continue;

    const snapshot = await db
      .collection(paths.events(workspace.id))
      .where('createdAt', '>=', Timestamp.fromDate(periodStart))
      .where('createdAt', '<', Timestamp.fromDate(periodEnd))
      .orderBy('createdAt')
      .get();
    const events = snapshot.docs.flatMap((doc) => {
      const parsed = eventSchema.safeParse(doc.data());
      return parsed.success ? [parsed.data] : [];
    });

    for (const subscriber of subscribers) {
      const mine = events.filter((event) => subscriber.kinds.includes(event.kind));
      const digestInput = {
        workspace: { id: workspace.id, name: String(workspace.get('name') ?? workspace.id) },
        events: mine.map((event) => ({
          agent: { id: event.agentId, name: event.agentName, hostname: event.hostname },
          event: {
            kind: event.kind,
            details: event.details,
            solutionIds: event.solutionIds,
            reportId: event.reportId,
            createdAt: new Date(event.createdAt.toMillis()),
            occurredAt: event.occurredAt ? new Date(event.occurredAt) : null,
          },
        })),
        periodStart,
        periodEnd,
        dashboardUrl: dashboardUrl.value(),
      };
      const content = renderDigestEmail(digestInput);
      if (!content) continue;
      const templateId = sendgridDigestTemplateId.value() || undefined;
      try {
        await mailer.send({ to: [subscriber.email], ...content, templateId, templateData: templateId ? digestTemplateData(digestInput) : undefined });
        emails += 1;
      } catch (error) {
        failures += 1;
        logger.error('digest email failed', { workspaceId: workspace.id, error: describeSendError(error) });
      }
    }
  }
  logger.info('digests sent', { workspaces: workspaces.size, emails, failures });
  return { workspaces: workspaces.size, emails, failures };
}
