'use client';

import { NativeSelect, Text } from '@chakra-ui/react';
import type { Role } from '@vigil/schema/constants';
import { useState } from 'react';
import { ROLE_LABELS } from '@/lib/domain/member-actions';
import { useSetMemberRole } from '@/lib/hooks/use-team-writes';
import type { MemberView } from '@/lib/model/member';
import { ConfirmDialog } from '../ui/confirm-dialog';

const WHAT_ROLES_DO: Readonly<Record<Role, string>> = {
  owner: 'Owners manage everything, members of every role included, and may delete the workspace.',
  admin: 'Admins manage agents, settings and viewers, and invite viewers and admins.',
  viewer: 'Viewers see the fleet and its events, and change only their own notifications.',
};

interface MemberRoleSelectProps {
  workspaceId: string;
  member: MemberView;
  name: string;
  /** The member's current role first, then the ones the caller may give. */
  roles: Role[];
  self: boolean;
}

/** Choosing a role asks first; until confirmed, the select still shows the member's role. */
export function MemberRoleSelect({ workspaceId, member, name, roles, self }: MemberRoleSelectProps) {
  const setMemberRole = useSetMemberRole();
  const [asked, setAsked] = useState<Role | null>(null);
  return (
    <>
      <NativeSelect.Root size="sm" width="auto">
        <NativeSelect.Field
          aria-label={`Role of ${name}`}
          value={member.role}
          onChange={(event) => {
            const role = event.currentTarget.value as Role;
            if (role !== member.role) setAsked(role);
          }}
        >
          {roles.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      <ConfirmDialog
        open={asked !== null}
        onOpenChange={(open) => !open && setAsked(null)}
        title={asked ? `Make ${self ? 'yourself' : name} ${asked === 'admin' ? 'an admin' : `a ${asked}`}?` : ''}
        confirmLabel="Change role"
        onConfirm={async () => {
          if (asked) await setMemberRole(workspaceId, member.uid, asked);
        }}
      >
        {asked && (
          <Text>
            {WHAT_ROLES_DO[asked]}
            {self ? ' You are changing your own role: you may not be able to change it back.' : ''}
          </Text>
        )}
      </ConfirmDialog>
    </>
  );
}
