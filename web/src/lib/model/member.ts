// The member document, the user profile and test acknowledgements.
import type { NotificationPreferences, Role } from '@vigil/schema';
import { DEFAULT_NOTIFICATION_PREFERENCES, EVENT_KINDS, isNotificationChoice } from '@vigil/schema/constants';
import { asDate, asNullableString, asRecord, asString, type Fields } from './values';

const ROLES: readonly Role[] = ['owner', 'admin', 'viewer'];
export const isRole = (value: unknown): value is Role => ROLES.some((role) => role === value);

export interface MemberView {
  uid: string;
  role: Role;
  email: string | null;
  notifications: NotificationPreferences;
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
