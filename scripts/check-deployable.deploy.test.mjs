// Tier "deploy": needs the npm registry, not the emulators. Run by `npm test` after the build.
import { describe, expect, it } from 'vitest';
import { checkDeployable } from './check-deployable.mjs';

describe('functions/ as firebase deploy sees it', () => {
  it('installs from the registry alone and exposes every function with its trigger', () => {
    const { endpoints, manifest } = checkDeployable();
    expect(endpoints).toContain('bootstrapWorkspace');
    expect(manifest.endpoints.bootstrapWorkspace).toMatchObject({ callableTrigger: {}, region: ['us-central1'] });
    expect(manifest.endpoints.onMemberWritten.eventTrigger).toMatchObject({
      eventType: 'google.cloud.firestore.document.v1.written',
      eventFilterPathPatterns: { document: 'workspaces/{workspaceId}/members/{uid}' },
    });
  });
});
