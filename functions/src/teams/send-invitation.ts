// Sends one invitation email, after the transaction that saved the invitation committed (a retried
// transaction must not send twice). Through mailer.ts, the one place an email leaves Vigil.
import type { Role } from '@vigil/schema';
import { logger } from 'firebase-functions';
import { HttpsError } from 'firebase-functions/v2/https';
import { createMailer, describeSendError } from '../alerts/mailer.js';
import { dashboardUrl, mailFrom, sendgridApiKey, sendgridBaseUrl } from '../params.js';
import { invitationUrl, renderInvitationEmail } from './invitation-email.js';

export interface InvitationToSend {
  workspaceId: string;
  workspaceName: string;
  invitationId: string;
  token: string;
  email: string;
  role: Role;
  inviterEmail: string | null;
  expiresAt: Date;
}

export async function sendInvitation(invitation: InvitationToSend): Promise<void> {
  const url = invitationUrl(dashboardUrl.value(), invitation.workspaceId, invitation.invitationId, invitation.token);
  const email = renderInvitationEmail({
    workspaceName: invitation.workspaceName,
    inviterEmail: invitation.inviterEmail,
    role: invitation.role,
    url,
    expiresAt: invitation.expiresAt,
  });
  const mailer = createMailer({ apiKey: sendgridApiKey.value(), baseUrl: sendgridBaseUrl.value(), from: mailFrom.value() });
  try {
    await mailer.send({ to: [invitation.email], ...email });
  } catch (error) {
    // The fault, never the link (its token is the invitation's secret).
    logger.error('invitation email not sent', {
      workspaceId: invitation.workspaceId,
      invitationId: invitation.invitationId,
      error: describeSendError(error),
    });
    throw new HttpsError('unavailable', 'The invitation is saved, but its email could not be sent. Try resending it in a minute.');
  }
}
