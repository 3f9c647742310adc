// The invitation email: fixed text, sent only on an owner's or admin's explicit action (inviteMember,
// resendInvitation) to the invited address, which nobody has verified yet. The workspace's name and the
// inviter's address are user-supplied, so both go through displayText (one line, links and addresses
// defanged); the only link is our own, to the dashboard. Pure.
import type { Role } from '@vigil/schema';
import { button, emailDocument, STYLE } from '../alerts/email-layout.js';
import { displayText, subjectLine } from '../alerts/email-text-safety.js';
import { html } from '../alerts/html-template.js';

export interface InvitationEmailInput {
  workspaceName: string;
  inviterEmail: string | null;
  role: Role;
  url: string;
  expiresAt: Date;
}

const ROLE_WORDS: Record<Role, string> = {
  owner: 'an owner (full control, members included)',
  admin: 'an admin (manages agents and settings)',
  viewer: 'a viewer (sees the fleet, changes nothing)',
};

/** `${DASHBOARD_URL}/invitation/?workspace=..&invitation=..#token=..`: the token in the fragment never reaches a server log or a Referer. */
export function invitationUrl(dashboardUrl: string, workspaceId: string, invitationId: string, token: string): string {
  const query = new URLSearchParams({ workspace: workspaceId, invitation: invitationId });
  return `${dashboardUrl.replace(/\/+$/, '')}/invitation/?${query.toString()}#token=${encodeURIComponent(token)}`;
}

export function renderInvitationEmail(input: InvitationEmailInput): { subject: string; text: string; html: string } {
  const workspace = displayText(input.workspaceName);
  const inviter = input.inviterEmail ? displayText(input.inviterEmail) : 'A member';
  const role = ROLE_WORDS[input.role];
  const expires = `${input.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const subject = subjectLine(`You are invited to the Vigil workspace ${workspace}`);
  const lines = [
    `${inviter} invited you to the Vigil workspace "${workspace}" as ${role}.`,
    '',
    'Open this link, sign in (or sign up) with this email address and verify it, then accept:',
    input.url,
    '',
    `The link works once and expires on ${expires}.`,
    'If you did not expect this, ignore this email: nothing happens unless you accept.',
  ];
  const body = html`<p style="${STYLE.kicker}">Vigil invitation</p>
<h1 style="${STYLE.heading('#1a73e8')}">Join ${workspace}</h1>
<p style="${STYLE.paragraph}">${inviter} invited you to the Vigil workspace <strong>${workspace}</strong> as ${role}.</p>
<p style="${STYLE.paragraph}">Sign in (or sign up) with this email address and verify it, then accept.</p>
${button(input.url, 'Open the invitation')}
<p style="${STYLE.footer}">The link works once and expires on ${expires}. If you did not expect this, ignore this email: nothing happens unless you accept.</p>`;
  return { subject, text: lines.join('\n'), html: emailDocument({ title: subject, preheader: `${inviter} invited you to ${workspace}`, body }) };
}
