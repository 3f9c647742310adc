'use client';

import { NativeSelect } from '@chakra-ui/react';
import { usePathname, useRouter } from 'next/navigation';
import { useWorkspaceNames } from '@/lib/hooks/use-workspace-names';
import { dashboardLinks, ownValue } from '@vigil/schema/constants';

/** Pages that make sense in any workspace keep their place; an agent's page goes to the overview. */
function linkInWorkspace(pathname: string, workspaceId: string): string {
  if (pathname.startsWith('/agents')) return dashboardLinks.agents(workspaceId);
  if (pathname.startsWith('/events')) return dashboardLinks.events(workspaceId);
  if (pathname.startsWith('/settings')) return dashboardLinks.settings(workspaceId);
  return dashboardLinks.overview(workspaceId);
}

/** Shown only to users who belong to more than one workspace. */
export function WorkspaceSwitcher({ workspaceIds, current, currentName }: { workspaceIds: string[]; current: string; currentName: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const names = useWorkspaceNames(workspaceIds);
  if (workspaceIds.length < 2) return null;
  const options = workspaceIds
    .map((id) => ({ id, name: id === current ? currentName : (ownValue(names.data, id) ?? 'Loading…') }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <NativeSelect.Root size="sm" width={{ base: '36', md: '56' }}>
      <NativeSelect.Field
        aria-label="Workspace"
        value={current}
        onChange={(event) => router.push(linkInWorkspace(pathname, event.currentTarget.value))}
      >
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </NativeSelect.Field>
      <NativeSelect.Indicator />
    </NativeSelect.Root>
  );
}
