// The invitation link, `/invitation/?workspace=<ws>&invitation=<id>#token=<token>`, as the accept page
// reads it. The token is the link's secret: it sits in the fragment (never sent to a server, never in
// a Referer), the page takes it out of the address bar at once (history.replaceState) so it is not
// kept in the history or shown in a screenshot, and holds it in this tab's sessionStorage, keyed by
// the invitation, so a reload or the sign-up in between does not lose it. It is removed once the
// invitation is accepted or can never be (not-found, already accepted, revoked, expired).
import { documentIdProblem } from '@vigil/schema/constants';

export interface InvitationRef {
  workspaceId: string;
  invitationId: string;
}

/** 32 random bytes in base64url (schema: invitationTokenSchema). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The workspace and invitation named by the query string, or null when either is missing or malformed. */
export function invitationRefFrom(search: string): InvitationRef | null {
  const params = new URLSearchParams(search);
  const workspaceId = params.get('workspace') ?? '';
  const invitationId = params.get('invitation') ?? '';
  // The server's own id check (firestoreIdSchema): a document id, never a path.
  if (documentIdProblem(workspaceId) !== undefined || documentIdProblem(invitationId) !== undefined) return null;
  return { workspaceId, invitationId };
}

/** The token from a fragment like `#token=…`, or null when there is none or it is not a token. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token !== null && TOKEN.test(token) ? token : null;
}

/** The address without its fragment, for history.replaceState. */
export function withoutFragment(href: string): string {
  const url = new URL(href);
  url.hash = '';
  return url.toString();
}

const storageKey = (ref: InvitationRef) => `vigil:invitation-token:${ref.workspaceId}:${ref.invitationId}`;

function tabStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined; // Storage disabled: the token then lives only in the page's memory.
  }
}

export function keepInvitationToken(ref: InvitationRef, token: string): void {
  try {
    tabStorage()?.setItem(storageKey(ref), token);
  } catch {
    // Full or disabled storage: the page still holds the token in memory.
  }
}

export function keptInvitationToken(ref: InvitationRef): string | null {
  try {
    const token = tabStorage()?.getItem(storageKey(ref)) ?? null;
    return token !== null && TOKEN.test(token) ? token : null;
  } catch {
    return null;
  }
}

export function forgetInvitationToken(ref: InvitationRef): void {
  try {
    tabStorage()?.removeItem(storageKey(ref));
  } catch {
    // Disabled storage: nothing was kept.
  }
}

/**
 * Reads the link once on arrival: the token from the fragment (kept for this tab), else the one kept
 * earlier in this tab; and whether the fragment must be removed from the address bar.
 */
export function takeInvitationToken(ref: InvitationRef, hash: string): { token: string | null; scrubFragment: boolean } {
  const fromLink = tokenFromHash(hash);
  if (fromLink) keepInvitationToken(ref, fromLink);
  return { token: fromLink ?? keptInvitationToken(ref), scrubFragment: hash !== '' && hash !== '#' };
}
