// Who receives an email: the members who chose that delivery for that kind of event, and of those
// only the ones whose Firebase Auth account has verified its address (and is enabled), mailed at
// that verified address. Anyone can sign up as victim@corp.com; nobody can verify it but the victim.
// Pure: the caller reads the members and the Auth accounts.
import { EVENT_KINDS, notificationChoiceSchema, type EventKind } from '@vigil/schema';

export interface MemberPreferences {
  notifications?: unknown;
}

export interface MemberEntry extends MemberPreferences {
  uid: string;
}

/** The parts of a Firebase Auth user record that decide whether we may mail it. */
export interface AuthAccount {
  uid: string;
  email?: string | null;
  emailVerified: boolean;
  disabled: boolean;
}

export interface Recipient {
  uid: string;
  /** Lower-case. */
  email: string;
}

export interface Recipients {
  to: Recipient[];
  /** Chosen members whose address is not verified: left out. */
  unverified: number;
  /** Chosen members without an account, without a usable address, or disabled: left out. */
  unreachable: number;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** The member's choice for one kind, read from their own settings only (never an inherited property). */
function choiceOf(member: MemberPreferences, kind: EventKind) {
  const preferences = member.notifications;
  if (typeof preferences !== 'object' || preferences === null || !Object.hasOwn(preferences, kind)) return undefined;
  const chosen = notificationChoiceSchema.safeParse((preferences as Record<string, unknown>)[kind]);
  return chosen.success ? chosen.data : undefined;
}

/** Uids of the members who chose `choice` for at least one of `kinds`, sorted. */
export function membersChoosing(members: MemberEntry[], kinds: readonly EventKind[], choice: 'instant' | 'digest'): string[] {
  return members
    .filter((member) => kinds.some((kind) => choiceOf(member, kind) === choice))
    .map((member) => member.uid)
    .sort();
}

/** Of the chosen uids, who may be mailed, once per address, in uid order. */
export function verifiedRecipients(uids: readonly string[], accounts: readonly AuthAccount[]): Recipients {
  const byUid = new Map(accounts.map((account) => [account.uid, account]));
  const seen = new Set<string>();
  const to: Recipient[] = [];
  let unverified = 0;
  let unreachable = 0;
  for (const uid of [...new Set(uids)].sort()) {
    const account = byUid.get(uid);
    const email = typeof account?.email === 'string' ? account.email.toLowerCase() : '';
    if (!account || account.disabled || !EMAIL.test(email)) {
      unreachable += 1;
    } else if (account.emailVerified !== true) {
      unverified += 1;
    } else if (!seen.has(email)) {
      seen.add(email);
      to.push({ uid, email });
    }
  }
  return { to, unverified, unreachable };
}

/** The kinds a member wants in the daily digest. */
export function digestKinds(member: MemberPreferences): EventKind[] {
  return EVENT_KINDS.filter((kind) => choiceOf(member, kind) === 'digest');
}
