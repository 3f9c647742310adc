'use client';

import { Stack, Text } from '@chakra-ui/react';
import type { WorkspaceSession } from '@/lib/hooks/use-workspace-session';
import { Section } from '../ui/section';
import { DeleteWorkspaceDialog } from './delete-workspace-dialog';

/** The settings page's danger zone; only owners may delete a workspace, so only they see it. */
export function DeleteWorkspaceSection({ session }: { session: WorkspaceSession }) {
  if (session.member.role !== 'owner') return null;
  return (
    <Section title="Danger zone" testId="danger-zone">
      <Stack gap="3" align="flex-start">
        <Text textStyle="sm" color="fg.muted">
          Deleting this workspace revokes every agent key, deletes all its data and removes every member from it.
        </Text>
        <DeleteWorkspaceDialog session={session} />
      </Stack>
    </Section>
  );
}
