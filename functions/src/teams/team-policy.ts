// Who may do what to a workspace's membership: the rules live in @vigil/schema
// (schema/src/constants/team-policy.ts) so the dashboard's Members page asks the same ones; the
// callables import them from here, and team-policy.test.ts beside this file is the table of
// docs/architecture.md, "Teams".
export { inviteRefusal, leaveRefusal, removalRefusal, roleChangeRefusal, type MemberChange, type Refusal } from '@vigil/schema';
