'use client';

import { Badge, Stack } from '@chakra-ui/react';
import { useSession } from '../session-gate/session-context';
import { PageHeader } from '../ui/page-header';
import { DeleteWorkspaceSection } from '../workspace-admin/delete-workspace-section';
import { Section } from '../ui/section';
import { NotificationPreferencesForm } from './notification-preferences-form';
import { WorkspaceSettingsForm } from './workspace-settings-form';

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' } as const;

export function SettingsScreen() {
  const session = useSession();
  return (
    <Stack gap="6">
      <PageHeader
        eyebrow={session.workspace.name}
        title="Settings"
        description={
          <>
            Your role here: <Badge data-testid="workspace-role">{ROLE_LABELS[session.member.role]}</Badge>
          </>
        }
      />
      <Section title="Workspace">
        <WorkspaceSettingsForm key={session.workspace.id} workspace={session.workspace} canManage={session.canManage} />
      </Section>
      <Section title="Your notifications">
        <NotificationPreferencesForm key={session.workspace.id} workspaceId={session.workspaceId} member={session.member} />
      </Section>
      <DeleteWorkspaceSection session={session} />
    </Stack>
  );
}
