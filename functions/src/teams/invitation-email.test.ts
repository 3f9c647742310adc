import { describe, expect, it } from 'vitest';
import { invitationUrl, renderInvitationEmail } from './invitation-email.js';

const URL_ = invitationUrl('https://vigil.example.com/', 'ws-1', 'inv-1', 'tok_en-123');

describe('the invitation email', () => {
  it('links to the dashboard with the token in the fragment, never the query', () => {
    expect(URL_).toBe('https://vigil.example.com/invitation/?workspace=ws-1&invitation=inv-1#token=tok_en-123');
    expect(new URL(URL_).search).not.toContain('tok_en');
  });

  it('names the workspace, the inviter, the role and the expiry, in text and HTML', () => {
    const email = renderInvitationEmail({
      workspaceName: 'Ops',
      inviterEmail: 'ada@corp.example',
      role: 'viewer',
      url: URL_,
      expiresAt: new Date('2026-12-08T12:00:00Z'),
    });
    expect(email.subject).toBe('You are invited to the Vigil workspace Ops');
    // The inviter's address is user-supplied text too: defanged, so it is not a mailto lure.
    expect(email.text).toContain('ada[@]corp[.]example invited you to the Vigil workspace "Ops" as a viewer (sees the fleet, changes nothing).');
    expect(email.text).toContain(URL_);
    expect(email.text).toContain('expires on 2026-12-08 12:00 UTC');
    expect(email.html).toContain(`href="${URL_.replace(/&/g, '&amp;')}"`);
  });

  it('defangs links and escapes markup a workspace name or inviter carries, on one line', () => {
    const email = renderInvitationEmail({
      workspaceName: 'Pay now at https://evil.example/login <b>\nSubject: x',
      inviterEmail: 'mallory@evil.com',
      role: 'admin',
      url: URL_,
      expiresAt: new Date('2026-12-08T12:00:00Z'),
    });
    expect(email.subject).not.toContain('\n');
    expect(email.text).toContain('hxxps[://]evil[.]example/login');
    expect(email.text).toContain('mallory[@]evil[.]com');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;b&gt;');
    expect(email.html).not.toContain('https://evil.example');
  });
});
