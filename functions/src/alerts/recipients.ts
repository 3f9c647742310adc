import { notificationChoiceSchema, type EventKind } from '@vigil/schema';

export interface MemberPreferences {
  email?: unknown;
  notifications?: unknown;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Members who chose `choice` for this kind of event, by email address (deduplicated). */
export function recipientsFor(members: MemberPreferences[], kind: EventKind, choice: 'instant' | 'digest'): string[] {
  const emails = new Set<string>();
  for (const member of members) {
    const preferences = (member.notifications ?? {}) as Record<string, unknown>;
    const chosen = notificationChoiceSchema.safeParse(preferences[kind]);
    if (!chosen.success || chosen.data !== choice) continue;
    if (typeof member.email === 'string' && EMAIL.test(member.email)) emails.add(member.email.toLowerCase());
  }
  return [...emails].sort();
}

/** The kinds a member wants in the daily digest. */
export function digestKinds(member: MemberPreferences): EventKind[] {
  const preferences = (member.notifications ?? {}) as Record<string, unknown>;
  return Object.entries(preferences)
    .filter(([, value]) => value === 'digest')
    .map(([kind]) => kind as EventKind)
    .sort();
}
