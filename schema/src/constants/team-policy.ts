// Who may do what to a workspace's membership (docs/architecture.md, "Teams": the table). Pure and
// zod-free, so both sides ask the same rules: the callables (functions/src/teams/) decide inside
// their transaction with the roles and the number of owners they read there; the dashboard's
// Members page asks the same questions only to show the actions the caller may take.
//   - Owners and admins invite; only an owner invites an owner.
//   - Owners change anyone's role; admins change viewers only, to viewer or admin.
//   - Removing a member takes the same authority as changing their role.
//   - Anyone may leave, but a workspace always keeps at least one owner: the last owner hands
//     ownership over first (makes another member owner), then may step down or leave.
import { MANAGING_ROLES, type Role } from './roles.js';

export interface Refusal {
  code: 'permission-denied' | 'failed-precondition' | 'not-found' | 'invalid-argument';
  message: string;
}

const refuse = (code: Refusal['code'], message: string): Refusal => ({ code, message });

const NOT_A_MANAGER = refuse('permission-denied', 'Only owners and admins of this workspace can manage its members.');
const LAST_OWNER = refuse('failed-precondition', 'A workspace always keeps at least one owner: make another member owner first.');

function manages(role: Role | undefined): role is Role {
  return role !== undefined && MANAGING_ROLES.includes(role);
}

/** May `caller` invite someone as `invited`? */
export function inviteRefusal(caller: Role | undefined, invited: Role): Refusal | null {
  if (!manages(caller)) return refuse('permission-denied', 'Only owners and admins of this workspace can invite members.');
  if (invited === 'owner' && caller !== 'owner') return refuse('permission-denied', 'Only an owner can invite an owner.');
  return null;
}

/** May `caller` act on a member whose role is `target` at all (change their role or remove them)? */
function authorityRefusal(caller: Role | undefined, target: Role | undefined): Refusal | null {
  if (!manages(caller)) return NOT_A_MANAGER;
  if (target === undefined) return refuse('not-found', 'That person is not a member of this workspace.');
  if (caller === 'admin' && target !== 'viewer') return refuse('permission-denied', 'Admins can change viewers only; ask an owner.');
  return null;
}

export interface MemberChange {
  caller: Role | undefined;
  target: Role | undefined;
  /** Owners in the workspace now, the target included. */
  owners: number;
  /** The caller acts on their own membership. */
  self: boolean;
}

export function roleChangeRefusal(change: MemberChange & { newRole: Role }): Refusal | null {
  const denied = authorityRefusal(change.caller, change.target);
  if (denied) return denied;
  if (change.caller === 'admin' && change.newRole === 'owner') return refuse('permission-denied', 'Only an owner can make someone an owner.');
  if (change.target === 'owner' && change.newRole !== 'owner' && change.owners <= 1) return LAST_OWNER;
  return null;
}

export function removalRefusal(change: MemberChange): Refusal | null {
  if (change.self) return refuse('invalid-argument', 'To leave a workspace yourself, use leaveWorkspace.');
  const denied = authorityRefusal(change.caller, change.target);
  if (denied) return denied;
  if (change.target === 'owner' && change.owners <= 1) return LAST_OWNER;
  return null;
}

export function leaveRefusal(role: Role | undefined, owners: number): Refusal | null {
  if (role === undefined) return refuse('not-found', 'You are not a member of this workspace.');
  if (role === 'owner' && owners <= 1) {
    return refuse('failed-precondition', 'You are the last owner of this workspace: make another member owner first, or delete the workspace.');
  }
  return null;
}
