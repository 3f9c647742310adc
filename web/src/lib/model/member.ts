// The member document, the user profile, invitations and test acknowledgements.
import type { InvitationState, NotificationPreferences, Role } from '@vigil/schema';
import { DEFAULT_NOTIFICATION_PREFERENCES, EVENT_KINDS, isNotificationChoice } from '@vigil/schema/constants';
import { asDate, asNullableString, asNumber, asRecord, asString, type Fields } from './values';

const ROLES: readonly Role[] = ['owner', 'admin', 'viewer'];
export const isRole = (value: unknown): value is Role => ROLES.some((role) => role === value);

/** Who did something, as a callable's token said (an inviter, a revoker). */
export interface PersonView {
  uid: string;
  email: string | null;
}

export interface MemberView {
  uid: string;
  role: Role;
  email: string | null;
  notifications: NotificationPreferences;
  joinedAt: Date | null;
  /** Set by bootstrapWorkspace at each sign-in; null for a member who has not signed in since. */
  lastActiveAt: Date | null;
  /** Who invited them; null for the workspace's creator and older members. */
  invitedBy: PersonView | null;
}

function personFromValue(value: unknown): PersonView | null {
  const data = asRecord(value);
  const uid = asString(data.uid);
  return uid === '' ? null : { uid, email: asNullableString(data.email) };
}

/** Every kind present: a missing or unknown choice reads as the default, never as "off". */
export function readNotifications(value: unknown): NotificationPreferences {
  const data = asRecord(value);
  const preferences = { ...DEFAULT_NOTIFICATION_PREFERENCES };
  for (const kind of EVENT_KINDS) {
    const choice = data[kind];
    if (isNotificationChoice(choice)) preferences[kind] = choice;
  }
  return preferences;
}

export function memberFromDoc(uid: string, data: Fields): MemberView {
  return {
    uid,
    // Reading an unknown role as viewer hides management actions; the rules decide anyway.
    role: isRole(data.role) ? data.role : 'viewer',
    email: asNullableString(data.email),
    notifications: readNotifications(data.notifications),
    joinedAt: asDate(data.joinedAt),
    lastActiveAt: asDate(data.lastActiveAt),
    invitedBy: personFromValue(data.invitedBy),
  };
}

const INVITATION_STATES: readonly InvitationState[] = ['pending', 'accepted', 'revoked'];
const isInvitationState = (value: unknown): value is InvitationState => INVITATION_STATES.some((state) => state === value);

/** workspaces/{ws}/invitations/{id}, without its token hash (the page has no use for it). */
export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  state: InvitationState;
  invitedBy: PersonView | null;
  createdAt: Date | null;
  expiresAt: Date | null;
  sentAt: Date | null;
  sends: number;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

export function invitationFromDoc(id: string, data: Fields): InvitationView {
  return {
    id,
    email: asString(data.email),
    // An unknown role reads as viewer: the least an invitation can give (the server decides anyway).
    role: isRole(data.role) ? data.role : 'viewer',
    // An unknown state reads as revoked: nothing is offered on it, where "pending" would offer actions.
    state: isInvitationState(data.state) ? data.state : 'revoked',
    invitedBy: personFromValue(data.invitedBy),
    createdAt: asDate(data.createdAt),
    expiresAt: asDate(data.expiresAt),
    sentAt: asDate(data.sentAt),
    sends: Math.max(1, Math.trunc(asNumber(data.sends, 1))),
    acceptedAt: asDate(data.acceptedAt),
    revokedAt: asDate(data.revokedAt),
  };
}

export interface UserProfileView {
  personalWorkspaceId: string | null;
  /** Every workspace the user belongs to (the mirror kept by a trigger), with the role there. */
  workspaces: Record<string, Role>;
}

export function userProfileFromDoc(data: Fields): UserProfileView {
  const workspaces: Record<string, Role> = Object.fromEntries(
    Object.entries(asRecord(data.workspaces)).filter((entry): entry is [string, Role] => isRole(entry[1])),
  );
  const personal = asString(data.personalWorkspaceId);
  return { personalWorkspaceId: personal === '' ? null : personal, workspaces };
}

export interface TestAckView {
  solutionId: string;
  testId: string;
  acknowledgedBy: string;
  acknowledgedAt: Date | null;
  failingSince: string;
}

export function testAckFromDoc(data: Fields): TestAckView {
  return {
    solutionId: asString(data.solutionId),
    testId: asString(data.testId),
    acknowledgedBy: asString(data.acknowledgedBy),
    acknowledgedAt: asDate(data.acknowledgedAt),
    failingSince: asString(data.failingSince),
  };
}

/** Acknowledgements by test id (own entries: a test id is agent data, whatever its name). */
export function acksByTestId(acks: readonly TestAckView[]): Record<string, TestAckView> {
  return Object.fromEntries(acks.map((ack) => [ack.testId, ack]));
}
