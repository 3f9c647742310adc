// What a client's own write (under firestore.rules) changed, as audit entries without their actor:
// the workspace's name and settings, a member's notification choices, an event's acknowledgement
// and a test's "mark as checked". Pure; audit-client-writes.ts decides the actor and writes them.
import type { AuditAction, AuditTarget } from '@vigil/schema';

export interface Change {
  action: AuditAction;
  target: AuditTarget;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The writer's uid when the rules make it certain (the field they pin to request.auth.uid). */
  pinnedActor?: string;
}

type Data = Record<string, unknown> | undefined;

const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** Maps with their keys in order, so {a, b} and {b, a} compare equal. */
function sorted(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, item]) => [key, sorted(item)]),
  );
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A rename and a settings change of workspaces/{ws}; creation and deletion are callables' (audited there). */
export function workspaceChanges(workspaceId: string, before: Data, after: Data): Change[] {
  if (!before || !after) return [];
  const changes: Change[] = [];
  const name = text(after.name);
  const target: AuditTarget = name === undefined ? { type: 'workspace', id: workspaceId } : { type: 'workspace', id: workspaceId, name };
  if (!same(before.name, after.name)) {
    changes.push({ action: 'workspace.renamed', target, before: { name: before.name ?? null }, after: { name: after.name ?? null } });
  }
  if (!same(before.settings, after.settings)) {
    changes.push({
      action: 'workspace.settings_changed',
      target,
      before: { settings: before.settings ?? null },
      after: { settings: after.settings ?? null },
    });
  }
  return changes;
}

/** A member's own notification choices (the rules let only that member change them). */
export function notificationChanges(uid: string, before: Data, after: Data): Change[] {
  if (!before || !after || same(before.notifications, after.notifications)) return [];
  const email = text(after.email);
  return [
    {
      action: 'notifications.changed',
      target: email === undefined ? { type: 'member', id: uid } : { type: 'member', id: uid, name: email },
      before: { notifications: before.notifications ?? null },
      after: { notifications: after.notifications ?? null },
      pinnedActor: uid,
    },
  ];
}

/** An event acknowledged (the rules pin acknowledgedBy to the writer and allow it once). */
export function acknowledgementChanges(eventId: string, before: Data, after: Data): Change[] {
  const by = text(after?.acknowledgedBy);
  if (!before || !after || by === undefined || text(before.acknowledgedBy) !== undefined) return [];
  const kind = text(after.kind);
  const agentName = text(after.agentName);
  return [
    {
      action: 'event.acknowledged',
      target: { type: 'event', id: eventId, ...(agentName ? { name: agentName } : {}) },
      after: { ...(kind ? { kind } : {}), ...(text(after.agentId) ? { agentId: after.agentId } : {}) },
      pinnedActor: by,
    },
  ];
}

/** A test marked as checked (signed by its writer, the rules say) or unmarked (Undo: any owner or admin). */
export function testMarkChanges(agentId: string, ackId: string, before: Data, after: Data): Change[] {
  const target: AuditTarget = { type: 'test', id: `${agentId}/${ackId}` };
  if (after) {
    const by = text(after.acknowledgedBy);
    if (before && same(before.failingSince, after.failingSince) && text(before.acknowledgedBy) === by) return [];
    return [
      {
        action: 'test.checked',
        target,
        after: { agentId, solutionId: after.solutionId ?? null, testId: after.testId ?? null, failingSince: after.failingSince ?? null },
        ...(by ? { pinnedActor: by } : {}),
      },
    ];
  }
  if (!before) return [];
  return [
    {
      action: 'test.unchecked',
      target,
      before: { agentId, solutionId: before.solutionId ?? null, testId: before.testId ?? null, acknowledgedBy: before.acknowledgedBy ?? null },
    },
  ];
}
