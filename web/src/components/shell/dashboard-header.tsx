'use client';

import { Flex, HStack } from '@chakra-ui/react';
import type { WorkspaceSession } from '@/lib/hooks/use-workspace-session';
import { dashboardLinks } from '@vigil/schema/constants';
import { ColorModeToggle } from '../color-mode';
import { AccountMenu } from './account-menu';
import { Brand } from './brand';
import { NavLinks } from './nav-links';
import { WorkspaceSwitcher } from './workspace-switcher';

interface DashboardHeaderProps {
  /** Undefined while nobody is known to be signed in: no account menu then. */
  email?: string | null;
  /** Undefined while the workspace loads: the header still offers signing out. */
  session?: WorkspaceSession;
}

export function DashboardHeader({ email, session }: DashboardHeaderProps) {
  return (
    <>
      <Flex align="center" justify="space-between" gap="3" px={{ base: '4', md: '6' }} py="3">
        <HStack gap="4" minW="0">
          <Brand href={session ? dashboardLinks.overview(session.workspaceId) : '/'} />
          {session && <WorkspaceSwitcher workspaceIds={session.workspaceIds} current={session.workspaceId} currentName={session.workspace.name} />}
        </HStack>
        <HStack gap="2" minW="0">
          <ColorModeToggle />
          {email !== undefined && <AccountMenu email={email} />}
        </HStack>
      </Flex>
      {session && <NavLinks workspaceId={session.workspaceId} canManage={session.canManage} />}
    </>
  );
}
