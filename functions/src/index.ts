// Wiring only: each export binds a trigger, schedule or callable to its handler. Handlers live
// beside their pure logic in one folder per capability (see docs/architecture.md); reportingErrors
// sends their unexpected errors to the operator's own Sentry when SENTRY_DSN is set (off by default):
//   ingest/      where an agent report enters (ingestReport)
//   alerts/      where a report becomes events (onReportCreated), where an event becomes an email
//                (sendEventEmail, mailer.ts), silent hosts, retention, daily digests
//   agents/      an agent's key: create, rotate, revoke, delete
//   enrollment/  enrollment tokens, hosts enrolling themselves (enrollAgent), agent labels
//   workspaces/  a user's first workspace and the membership mirror
//   teams/       invitations and membership (invite, accept, revoke, resend, role, remove, leave)
//   audit/       the audit log: entries written beside each change, triggers for client writes
import { FUNCTIONS_REGION, triggerPaths } from '@vigil/schema';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentCreated, onDocumentWritten, onDocumentWrittenWithAuthContext } from 'firebase-functions/v2/firestore';
import { onCall } from 'firebase-functions/v2/https';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { createAgent as createAgentHandler } from './agents/create-agent.js';
import { deleteAgent as deleteAgentHandler } from './agents/delete-agent.js';
import { revokeAgent as revokeAgentHandler } from './agents/revoke-agent.js';
import { rotateAgentKey as rotateAgentKeyHandler } from './agents/rotate-agent-key.js';
import { requestKeyRotation as requestKeyRotationHandler } from './agents/key-rotation-request.js';
import { fetchAgentKey as fetchAgentKeyHandler } from './agents/key-rotation-fetch.js';
import { onReportCreated as onReportCreatedHandler } from './alerts/on-report-created.js';
import { sendEventEmail as sendEventEmailHandler } from './alerts/send-event-email.js';
import { floorWrite } from './bench/floor-write.js';
import { ingestReport as ingestReportHandler } from './ingest/ingest-report.js';
import { sendgridApiKey } from './params.js';
import { isEmulator } from './firebase/runtime.js';
import { reportingErrors } from './error-reporting/sentry.js';
import { listSchedules as listSchedulesHandler, runSchedule as runScheduleHandler } from './schedules/run-schedule.js';
import { runnerNeeds, SCHEDULE_TIME_ZONE, SCHEDULES, type ScheduleEntry, type ScheduleName } from './schedules/schedules.js';
import {
  auditEventWrite as auditEventWriteHandler,
  auditMemberWrite as auditMemberWriteHandler,
  auditTestMarkWrite as auditTestMarkWriteHandler,
  auditWorkspaceWrite as auditWorkspaceWriteHandler,
} from './audit/audit-client-writes.js';
import { acceptInvitation as acceptInvitationHandler } from './teams/accept-invitation.js';
import { createWorkspace as createWorkspaceHandler } from './teams/create-workspace.js';
import { deleteAccount as deleteAccountHandler } from './teams/delete-account.js';
import { deleteWorkspace as deleteWorkspaceHandler } from './teams/delete-workspace.js';
import { inviteMember as inviteMemberHandler } from './teams/invite-member.js';
import { leaveWorkspace as leaveWorkspaceHandler } from './teams/leave-workspace.js';
import { removeMember as removeMemberHandler } from './teams/remove-member.js';
import { resendInvitation as resendInvitationHandler } from './teams/resend-invitation.js';
import { revokeInvitation as revokeInvitationHandler } from './teams/revoke-invitation.js';
import { setMemberRole as setMemberRoleHandler } from './teams/set-member-role.js';
import { bootstrapWorkspace as bootstrapWorkspaceHandler } from './workspaces/bootstrap-workspace.js';
import { onMemberWritten as onMemberWrittenHandler } from './workspaces/on-member-written.js';
import { onWorkspaceWritten as onWorkspaceWrittenHandler } from './workspaces/on-workspace-written.js';
import { createEnrollmentToken as createEnrollmentTokenHandler } from './enrollment/create-enrollment-token.js';
import { enrollAgent as enrollAgentHandler } from './enrollment/enroll-agent.js';
import { revokeEnrollmentToken as revokeEnrollmentTokenHandler } from './enrollment/revoke-enrollment-token.js';
import { setAgentLabels as setAgentLabelsHandler } from './enrollment/set-agent-labels.js';

// A modest cap for every function but ingest, which sets its own below (a function's own options
// override these): the others run per stored report, per event or on a schedule, never per report.
setGlobalOptions({ region: FUNCTIONS_REGION, maxInstances: 10 });

// Agents authenticate with their own key header, not a Firebase ID token; CORS off: no browser calls it.
// Its own instance settings (docs/architecture.md, "Ingest"), not the global ones every other
// function shares: concurrency 80 on 1 vCPU, as a request mostly waits on one Firestore commit and
// more requests per instance mean more hits in its agent cache; 2 GiB: that cache (agent-cache.ts:
// 25,000 agents of ~12 KiB, ~300 MiB; the agent ticket spares most reads a cache miss would cost)
// beside the bodies the platform reads and parses (up to 32 MiB each) before our size check runs,
// about 1.5 GiB for a few of those at once beside 80 honest reports; at most 30
// instances: 100,000 hosts at 300 s are 333 reports/s, which one or two instances serve (a report
// takes about a millisecond of CPU and one commit's wait), so 30 is some 20 times the steady load
// for a fleet reconnecting at once (each agent paced to 1 report/s), while capping what a flood
// costs (reports spread over k instances find a current cached copy about 1/k of the time, and
// carry their ticket for the rest);
// 20 s timeout, under the agent's 30 s request timeout, so the agent hears an answer before it
// gives up and retries.
export const ingestReport = onCall(
  { cors: false, concurrency: 80, cpu: 1, memory: '2GiB', maxInstances: 30, timeoutSeconds: 20 },
  reportingErrors('ingestReport', ingestReportHandler),
);
// Retried: the handler records deterministic failures on the report and returns, so only transient
// ones (contention, unavailability) are thrown, and a redelivery is a no-op once applied.
export const onReportCreated = onDocumentCreated(
  { document: triggerPaths.report, retry: true },
  reportingErrors('onReportCreated', onReportCreatedHandler),
);
export const sendEventEmail = onDocumentCreated(
  { document: triggerPaths.event, secrets: [sendgridApiKey] },
  reportingErrors('sendEventEmail', sendEventEmailHandler),
);

// Schedules: crons, timeouts and secrets come from the SCHEDULES table (schedules/schedules.ts), so
// the local runner (`npm start`, `npm run schedule`) runs exactly what is deployed.
function scheduled(name: ScheduleName) {
  const entry: ScheduleEntry = SCHEDULES[name];
  return onSchedule(
    {
      schedule: entry.schedule,
      timeZone: SCHEDULE_TIME_ZONE,
      ...(entry.timeoutSeconds ? { timeoutSeconds: entry.timeoutSeconds } : {}),
      ...(entry.secrets ? { secrets: entry.secrets } : {}),
    },
    reportingErrors(name, async () => {
      await entry.run();
    }),
  );
}
export const detectSilentAgents = scheduled('detectSilentAgents');
export const pruneOldData = scheduled('pruneOldData');
export const sendDigests = scheduled('sendDigests');
export const sweepEmails = scheduled('sweepEmails');
export const summarizeFleets = scheduled('summarizeFleets');

export const createAgent = onCall(reportingErrors('createAgent', createAgentHandler));
export const rotateAgentKey = onCall(reportingErrors('rotateAgentKey', rotateAgentKeyHandler));
export const requestKeyRotation = onCall(reportingErrors('requestKeyRotation', requestKeyRotationHandler));
// The agent fetches its rotated key with its current key in X-Vigil-Key, as for ingest; CORS off: no browser calls it.
export const fetchAgentKey = onCall({ cors: false }, reportingErrors('fetchAgentKey', fetchAgentKeyHandler));
export const revokeAgent = onCall(reportingErrors('revokeAgent', revokeAgentHandler));
export const deleteAgent = onCall(reportingErrors('deleteAgent', deleteAgentHandler));

// Enrollment (enrollment/): tokens that let hosts enroll themselves, and labels on agents.
export const createEnrollmentToken = onCall(reportingErrors('createEnrollmentToken', createEnrollmentTokenHandler));
export const revokeEnrollmentToken = onCall(reportingErrors('revokeEnrollmentToken', revokeEnrollmentTokenHandler));
export const setAgentLabels = onCall(reportingErrors('setAgentLabels', setAgentLabelsHandler));
// Hosts call it with an enrollment token in its own header, not a Firebase ID token; CORS off: no browser calls it.
export const enrollAgent = onCall({ cors: false }, reportingErrors('enrollAgent', enrollAgentHandler));

export const bootstrapWorkspace = onCall(reportingErrors('bootstrapWorkspace', bootstrapWorkspaceHandler));
export const onMemberWritten = onDocumentWritten(triggerPaths.member, reportingErrors('onMemberWritten', onMemberWrittenHandler));
export const onWorkspaceWritten = onDocumentWritten(triggerPaths.workspace, reportingErrors('onWorkspaceWritten', onWorkspaceWrittenHandler));

// Benchmark floor (bench/ingest.mjs): present only in the emulator, so deploy never sees it.
export const benchFloorWrite = isEmulator() ? onCall({ cors: false }, floorWrite) : undefined;
// The schedules, run on request inside the functions emulator (Pub/Sub cannot deliver to a v2
// schedule there; see schedules/run-schedule.ts). Emulator only, never deployed.
export const listSchedules = isEmulator() ? onCall({ cors: false }, reportingErrors('listSchedules', listSchedulesHandler)) : undefined;
export const runSchedule = isEmulator() ? onCall({ cors: false, ...runnerNeeds() }, reportingErrors('runSchedule', runScheduleHandler)) : undefined;

// Teams (teams/): invitations and membership, each callable writing its audit entry in its own
// transaction; the invitation callables send email, so they need the SendGrid key.
export const inviteMember = onCall({ secrets: [sendgridApiKey] }, reportingErrors('inviteMember', inviteMemberHandler));
export const acceptInvitation = onCall(reportingErrors('acceptInvitation', acceptInvitationHandler));
export const revokeInvitation = onCall(reportingErrors('revokeInvitation', revokeInvitationHandler));
export const resendInvitation = onCall({ secrets: [sendgridApiKey] }, reportingErrors('resendInvitation', resendInvitationHandler));
export const setMemberRole = onCall(reportingErrors('setMemberRole', setMemberRoleHandler));
export const removeMember = onCall(reportingErrors('removeMember', removeMemberHandler));
export const leaveWorkspace = onCall(reportingErrors('leaveWorkspace', leaveWorkspaceHandler));
export const createWorkspace = onCall(reportingErrors('createWorkspace', createWorkspaceHandler));
// Up to 9 minutes: recursiveDelete of a whole workspace's agents, reports and events.
export const deleteWorkspace = onCall({ timeoutSeconds: 540 }, reportingErrors('deleteWorkspace', deleteWorkspaceHandler));
export const deleteAccount = onCall(reportingErrors('deleteAccount', deleteAccountHandler));

// The audit log of writes clients make directly under the rules (audit/audit-client-writes.ts).
export const auditWorkspaceWrite = onDocumentWrittenWithAuthContext(
  triggerPaths.workspace,
  reportingErrors('auditWorkspaceWrite', auditWorkspaceWriteHandler),
);
export const auditMemberWrite = onDocumentWrittenWithAuthContext(triggerPaths.member, reportingErrors('auditMemberWrite', auditMemberWriteHandler));
export const auditEventWrite = onDocumentWrittenWithAuthContext(triggerPaths.event, reportingErrors('auditEventWrite', auditEventWriteHandler));
export const auditTestMarkWrite = onDocumentWrittenWithAuthContext(
  triggerPaths.testAck,
  reportingErrors('auditTestMarkWrite', auditTestMarkWriteHandler),
);
