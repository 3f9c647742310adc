'use client';

import { Box, Flex } from '@chakra-ui/react';
import NextLink from 'next/link';
import { usePathname } from 'next/navigation';
import { dashboardLinks } from '@vigil/schema/constants';

const SECTIONS = [
  { label: 'Overview', href: dashboardLinks.overview, paths: ['/'] },
  { label: 'Agents', href: dashboardLinks.agents, paths: ['/agents/', '/agent/', '/solution/', '/enrollment/'] },
  { label: 'Events', href: (ws: string) => dashboardLinks.events(ws), paths: ['/events/'] },
  { label: 'Members', href: dashboardLinks.members, paths: ['/members/'] },
  { label: 'Settings', href: dashboardLinks.settings, paths: ['/settings/'] },
  // The audit log is for owners and admins (the rules refuse viewers the read): a viewer gets no link.
  { label: 'Activity', href: (ws: string) => dashboardLinks.activity(ws), paths: ['/activity/'], managersOnly: true },
] as const;

function normalize(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

/** The sections of a workspace. On a phone the row scrolls sideways inside itself. */
export function NavLinks({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const current = normalize(usePathname());
  const sections = SECTIONS.filter((section) => canManage || !('managersOnly' in section && section.managersOnly));
  return (
    <Box as="nav" aria-label="Main" overflowX="auto" px={{ base: '2', md: '4' }}>
      <Flex as="ul" gap="1" listStyleType="none">
        {sections.map((section) => {
          const active = section.paths.some((path) => normalize(path) === current);
          return (
            <li key={section.label}>
              <Box
                asChild
                display="block"
                px="3"
                py="2"
                whiteSpace="nowrap"
                fontWeight="medium"
                textStyle="sm"
                borderBottomWidth="2px"
                borderColor={active ? 'blue.solid' : 'transparent'}
                color={active ? 'fg' : 'fg.muted'}
                _hover={{ color: 'fg' }}
              >
                <NextLink href={section.href(workspaceId)} aria-current={active ? 'page' : undefined}>
                  {section.label}
                </NextLink>
              </Box>
            </li>
          );
        })}
      </Flex>
    </Box>
  );
}
