'use client';

import { Button, Field, NativeSelect, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import type { EventKind, NotificationPreferences } from '@vigil/schema';
import { useState, type FormEvent } from 'react';
import { useWriteState } from '../ui/use-write-state';
import { EVENT_KIND_LABELS, EVENT_KINDS, NOTIFICATION_CHOICES, type NotificationChoice } from '@vigil/schema/constants';
import { useUpdateNotificationPreferences } from '@/lib/hooks/use-settings-writes';
import type { MemberView } from '@/lib/model/member';
import { ErrorAlert } from '../error-alert';
import { SavedNote } from './saved-note';

const CHOICE_LABELS: Record<NotificationChoice, string> = {
  instant: 'Email at once',
  digest: 'In the daily digest',
  off: 'Off',
};

/** The signed-in member's own email choices, one per kind of event; any member may change them. */
export function NotificationPreferencesForm({ workspaceId, member }: { workspaceId: string; member: MemberView }) {
  const updateNotificationPreferences = useUpdateNotificationPreferences();
  const [draft, setDraft] = useState<NotificationPreferences>(member.notifications);
  const { pending, error: failure, run } = useWriteState();
  const [done, setDone] = useState(false);
  const [saved, setSaved] = useState(member.notifications);
  const changed = EVENT_KINDS.some((kind) => draft[kind] !== saved[kind]);

  function choose(kind: EventKind, choice: NotificationChoice) {
    setDraft({ ...draft, [kind]: choice });
    setDone(false);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await run(async () => {
      await updateNotificationPreferences(workspaceId, member.uid, draft);
      setSaved(draft);
      setDone(true);
    });
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Notification preferences">
      <Stack gap="5">
        <Text color="fg.muted" textStyle="sm">
          Emails go to {member.email ?? 'your account’s address'}. These choices are yours alone in this workspace.
        </Text>
        {failure && <ErrorAlert title="Could not save your preferences" message={failure} />}
        <SimpleGrid columns={{ base: 1, md: 2, xl: 3 }} gap="4">
          {EVENT_KINDS.map((kind) => (
            <Field.Root key={kind}>
              <Field.Label>{EVENT_KIND_LABELS[kind]}</Field.Label>
              <NativeSelect.Root>
                <NativeSelect.Field
                  name={kind}
                  value={draft[kind]}
                  onChange={(event) => choose(kind, event.currentTarget.value as NotificationChoice)}
                >
                  {NOTIFICATION_CHOICES.map((choice) => (
                    <option key={choice} value={choice}>
                      {CHOICE_LABELS[choice]}
                    </option>
                  ))}
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </Field.Root>
          ))}
        </SimpleGrid>
        <Stack direction={{ base: 'column', sm: 'row' }} gap="3" align={{ base: 'stretch', sm: 'center' }}>
          <Button type="submit" colorPalette="blue" loading={pending} disabled={!changed} alignSelf="flex-start">
            Save preferences
          </Button>
          {done && <SavedNote message="Notification preferences saved." />}
        </Stack>
      </Stack>
    </form>
  );
}
