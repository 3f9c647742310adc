import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  forgetInvitationToken,
  invitationRefFrom,
  keptInvitationToken,
  takeInvitationToken,
  tokenFromHash,
  withoutFragment,
} from './invitation-link';

const TOKEN = 'A'.repeat(21) + '_-' + 'b'.repeat(20);
const REF = { workspaceId: 'ws1', invitationId: 'inv1' };

describe('invitation link', () => {
  it('names the workspace and the invitation from the query string', () => {
    expect(invitationRefFrom('?workspace=ws1&invitation=inv1')).toEqual(REF);
    expect(invitationRefFrom('?workspace=ws1')).toBeNull();
    expect(invitationRefFrom('?invitation=inv1')).toBeNull();
    expect(invitationRefFrom('?workspace=a%2Fb&invitation=inv1')).toBeNull();
    expect(invitationRefFrom('?workspace=..&invitation=inv1')).toBeNull();
    expect(invitationRefFrom('?workspace=__x__&invitation=inv1')).toBeNull();
  });

  it('reads only a well-formed token from the fragment', () => {
    expect(TOKEN).toHaveLength(43);
    expect(tokenFromHash(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash(`token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromHash('#token=short')).toBeNull();
    expect(tokenFromHash(`#token=${TOKEN}x`)).toBeNull();
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash(`#other=${TOKEN}`)).toBeNull();
  });

  it('drops the fragment and keeps the rest of the address', () => {
    expect(withoutFragment(`https://vigil.example/invitation/?workspace=ws1&invitation=inv1#token=${TOKEN}`)).toBe(
      'https://vigil.example/invitation/?workspace=ws1&invitation=inv1',
    );
  });
});

describe('the token kept for this tab', () => {
  beforeEach(() => {
    const items = new Map<string, string>();
    (globalThis as { window?: unknown }).window = {
      sessionStorage: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => void items.set(key, value),
        removeItem: (key: string) => void items.delete(key),
      },
    };
  });
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('is taken from the link, survives a reload without the fragment, and is forgotten', () => {
    expect(takeInvitationToken(REF, `#token=${TOKEN}`)).toEqual({ token: TOKEN, scrubFragment: true });
    // The reload after sign-up: the fragment is gone from the address, the token is still known.
    expect(takeInvitationToken(REF, '')).toEqual({ token: TOKEN, scrubFragment: false });
    expect(keptInvitationToken({ workspaceId: 'ws1', invitationId: 'other' })).toBeNull();
    forgetInvitationToken(REF);
    expect(takeInvitationToken(REF, '')).toEqual({ token: null, scrubFragment: false });
  });

  it('a newer link replaces the token kept, and a malformed fragment is still removed', () => {
    takeInvitationToken(REF, `#token=${TOKEN}`);
    const newer = 'z'.repeat(43);
    expect(takeInvitationToken(REF, `#token=${newer}`).token).toBe(newer);
    expect(takeInvitationToken(REF, '#token=broken')).toEqual({ token: newer, scrubFragment: true });
  });

  it('never throws when the browser refuses storage', () => {
    const refuse = () => {
      throw new Error('SecurityError');
    };
    (globalThis as { window?: unknown }).window = { sessionStorage: { getItem: refuse, setItem: refuse, removeItem: refuse } };
    expect(takeInvitationToken(REF, `#token=${TOKEN}`)).toEqual({ token: TOKEN, scrubFragment: true });
    expect(keptInvitationToken(REF)).toBeNull();
    expect(() => forgetInvitationToken(REF)).not.toThrow();
  });
});
