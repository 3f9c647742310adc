'use client';

import { Stack } from '@chakra-ui/react';
import type { User } from 'firebase/auth';
import { describeError } from '@/lib/error-message';
import { useBootstrapWorkspace } from '@/lib/use-bootstrap-workspace';
import { useWorkspace } from '@/lib/use-workspace';
import { AccountBar } from './account-bar';
import { ErrorAlert } from './error-alert';
import { LoadingState } from './loading-state';
import { WorkspaceMissing } from './workspace-missing';
import { WorkspaceSummary } from './workspace-summary';

function WorkspaceContent({ uid }: { uid: string }) {
  const bootstrap = useBootstrapWorkspace(uid);
  const workspace = useWorkspace(bootstrap.data?.workspaceId ?? null, uid);

  if (bootstrap.error) {
    return (
      <ErrorAlert
        title="Could not open your workspace"
        message={describeError(bootstrap.error)}
        onRetry={() => void bootstrap.mutate()}
        retrying={bootstrap.isValidating}
      />
    );
  }
  if (!bootstrap.data) return <LoadingState label="Preparing your workspace…" />;
  if (workspace.error) {
    return (
      <ErrorAlert
        title="Could not load your workspace"
        message={describeError(workspace.error)}
        onRetry={() => void workspace.mutate()}
        retrying={workspace.isValidating}
      />
    );
  }
  if (workspace.data === undefined) return <LoadingState label="Loading your workspace…" />;
  if (workspace.data === null) {
    return <WorkspaceMissing onRetry={() => void workspace.mutate()} retrying={workspace.isValidating} />;
  }
  return <WorkspaceSummary workspace={workspace.data} role={bootstrap.data.role} />;
}

/** The signed-in home: the account bar stays up in every state, so signing out is always possible. */
export function WorkspaceHome({ user }: { user: User }) {
  return (
    <Stack gap="6">
      <AccountBar email={user.email} />
      <WorkspaceContent uid={user.uid} />
    </Stack>
  );
}
