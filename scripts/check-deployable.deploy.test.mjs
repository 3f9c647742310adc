// Tier "deploy": needs the npm registry, not the emulators. Run by `npm test` after the build.
import { describe, expect, it } from 'vitest';
import { checkDeployable } from './check-deployable.mjs';

describe('functions/ as firebase deploy sees it', () => {
  it('installs from the registry alone and exposes every function with its trigger', () => {
    const { endpoints, manifest } = checkDeployable();
    for (const name of ['bootstrapWorkspace', 'ingestReport', 'createAgent', 'rotateAgentKey', 'revokeAgent', 'deleteAgent']) {
      expect(endpoints).toContain(name);
    }
    // The benchmark floor and the local schedule runner exist only under the emulator.
    for (const name of ['benchFloorWrite', 'listSchedules', 'runSchedule']) expect(endpoints).not.toContain(name);
    expect(manifest.endpoints.detectSilentAgents.scheduleTrigger).toMatchObject({ schedule: 'every 5 minutes', timeZone: 'UTC' });
    expect(manifest.endpoints.sendDigests).toMatchObject({ timeoutSeconds: 540, scheduleTrigger: { schedule: 'every day 07:00' } });
    // Email retries and hourly-cap summaries (docs/architecture.md, "Alerts"), with the SendGrid secret.
    expect(manifest.endpoints.sweepEmails).toMatchObject({ timeoutSeconds: 300, scheduleTrigger: { schedule: 'every 1 minutes', timeZone: 'UTC' } });
    expect(manifest.endpoints.sweepEmails.secretEnvironmentVariables).toEqual([expect.objectContaining({ key: 'SENDGRID_API_KEY' })]);
    expect(manifest.endpoints.bootstrapWorkspace).toMatchObject({ callableTrigger: {}, region: ['us-central1'] });
    // Ingest has instance settings of its own (docs/architecture.md, "Ingest"), not the global ones.
    expect(manifest.endpoints.ingestReport).toMatchObject({ concurrency: 80, cpu: 1, availableMemoryMb: 2048, maxInstances: 30, timeoutSeconds: 20 });
    // The others keep the global modest cap.
    expect(manifest.endpoints.onReportCreated).toMatchObject({ maxInstances: 10 });
    // Retried on transient failures; deterministic ones are recorded on the report (docs/architecture.md, "Alerts").
    expect(manifest.endpoints.onReportCreated.eventTrigger).toMatchObject({ retry: true });
    // Teams (docs/architecture.md, "Teams"): the invitation callables send email, so they carry the key.
    for (const name of [
      'inviteMember',
      'acceptInvitation',
      'revokeInvitation',
      'resendInvitation',
      'setMemberRole',
      'removeMember',
      'leaveWorkspace',
      'createWorkspace',
      'deleteWorkspace',
      'deleteAccount',
    ]) {
      expect(manifest.endpoints[name]).toMatchObject({ callableTrigger: {} });
    }
    // Enrollment (docs/architecture.md, "Enrollment").
    for (const name of ['createEnrollmentToken', 'revokeEnrollmentToken', 'enrollAgent', 'setAgentLabels']) {
      expect(manifest.endpoints[name]).toMatchObject({ callableTrigger: {} });
    }
    expect(manifest.endpoints.inviteMember.secretEnvironmentVariables).toEqual([expect.objectContaining({ key: 'SENDGRID_API_KEY' })]);
    // The audit log of client writes: triggers with the writer's auth context.
    expect(manifest.endpoints.auditWorkspaceWrite.eventTrigger).toMatchObject({
      eventType: 'google.cloud.firestore.document.v1.written.withAuthContext',
      eventFilterPathPatterns: { document: 'workspaces/{workspaceId}' },
    });
    expect(manifest.endpoints.onMemberWritten.eventTrigger).toMatchObject({
      eventType: 'google.cloud.firestore.document.v1.written',
      eventFilterPathPatterns: { document: 'workspaces/{workspaceId}/members/{uid}' },
    });
  });
});
