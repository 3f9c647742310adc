'use client';

import { NativeSelect } from '@chakra-ui/react';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { useAuth } from '@/lib/auth/auth-context';
import { useWorkspaceNames } from '@/lib/hooks/use-workspace-names';
import { ownValue } from '@vigil/schema/constants';
import { CreateWorkspaceDialog } from '../workspace-admin/create-workspace-dialog';
import { linkInWorkspace } from './workspace-page-link';

/** The option that opens the create dialog: a value no workspace id can have (ids never contain "/"). */
const CREATE = '/create';

/**
 * The current workspace, the user's others (from the users/{uid} mirror, via the session), and
 * "Create workspace…". A native select: the phone's own picker, and one labelled combobox to reach.
 */
export function WorkspaceSwitcher({ workspaceIds, current, currentName }: { workspaceIds: string[]; current: string; currentName: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const auth = useAuth();
  const names = useWorkspaceNames(workspaceIds);
  const [creating, setCreating] = useState(false);
  const options = workspaceIds
    .map((id) => ({ id, name: id === current ? currentName : (ownValue(names.data, id) ?? 'Loading…') }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      <NativeSelect.Root size="sm" width={{ base: '28', md: '56' }}>
        <NativeSelect.Field
          aria-label="Workspace"
          value={current}
          onChange={(event) => {
            const chosen = event.currentTarget.value;
            if (chosen === CREATE) setCreating(true);
            else router.push(linkInWorkspace(pathname, chosen));
          }}
        >
          {options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
          <option value={CREATE}>Create workspace…</option>
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      {auth.status === 'signed-in' && <CreateWorkspaceDialog uid={auth.user.uid} open={creating} onOpenChange={setCreating} />}
    </>
  );
}
