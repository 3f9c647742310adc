'use client';

import { Button, Checkbox, Field, Input, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useId, useState, type FormEvent } from 'react';
import { useWriteState } from '../ui/use-write-state';
import { useUpdateWorkspaceSettings } from '@/lib/hooks/use-settings-writes';
import {
  AUDIT_RETENTION_DAYS,
  DEFAULT_WORKSPACE_SETTINGS,
  KEY_ROTATION_DAYS,
  WORKSPACE_SETTING_BOUNDS,
  WORKSPACE_SETTING_KEYS,
  type WorkspaceSettingKey,
} from '@vigil/schema/constants';
import { draftFrom, validateSettings, type SettingsDraft } from '@/lib/domain/workspace-settings-draft';
import type { Workspace } from '@/lib/model/workspace';
import { formatInterval } from '@/lib/text/format';
import { ErrorAlert } from '../error-alert';
import { SavedNote } from './saved-note';

/** "60 to 86,400": a setting's bounds as its help text states them. */
function range(key: WorkspaceSettingKey): string {
  const { min, max } = WORKSPACE_SETTING_BOUNDS[key];
  return `${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
}

const HELP: Record<WorkspaceSettingKey, (value: number) => string> = {
  retentionDays: () => `Reports and events older than this are deleted. ${range('retentionDays')} days.`,
  reportingIntervalSeconds: (value) =>
    `How often new agents report${Number.isFinite(value) && value >= WORKSPACE_SETTING_BOUNDS.reportingIntervalSeconds.min ? ` (${formatInterval(value)})` : ''}. ${range('reportingIntervalSeconds')} seconds.`,
  failedTestThreshold: () => `Reports in a row a test must fail before it alerts. ${range('failedTestThreshold')}.`,
};

const UNITS: Record<WorkspaceSettingKey, string> = {
  retentionDays: 'days',
  reportingIntervalSeconds: 'seconds',
  failedTestThreshold: 'reports',
};

export function WorkspaceSettingsForm({ workspace, canManage }: { workspace: Workspace; canManage: boolean }) {
  const updateWorkspaceSettings = useUpdateWorkspaceSettings();
  const saved = draftFrom(workspace.name, workspace.settings ?? DEFAULT_WORKSPACE_SETTINGS);
  const [draft, setDraft] = useState<SettingsDraft>(saved);
  const [showErrors, setShowErrors] = useState(false);
  const { pending, error: failure, run } = useWriteState();
  const [done, setDone] = useState(false);
  const rotationHeadingId = useId();
  const { errors, value } = validateSettings(draft);
  const changed = (Object.keys(draft) as (keyof SettingsDraft)[]).some((key) => draft[key].trim() !== saved[key]);

  function edit(key: keyof SettingsDraft, text: string) {
    setDraft({ ...draft, [key]: text });
    setDone(false);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setShowErrors(true);
    if (!value) return;
    await run(async () => {
      await updateWorkspaceSettings(workspace.id, value);
      setDraft(draftFrom(value.name, value.settings));
      setShowErrors(false);
      setDone(true);
    });
  }

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Workspace settings" noValidate>
      <Stack gap="5">
        {!canManage && <Text color="fg.muted">Only owners and admins can change these settings.</Text>}
        {failure && <ErrorAlert title="Could not save the settings" message={failure} />}
        <Field.Root invalid={showErrors && errors.name !== undefined} disabled={!canManage} maxW="md">
          <Field.Label>Workspace name</Field.Label>
          <Input name="name" value={draft.name} onChange={(event) => edit('name', event.target.value)} />
          {showErrors && errors.name && <Field.ErrorText>{errors.name}</Field.ErrorText>}
        </Field.Root>
        <SimpleGrid columns={{ base: 1, md: 3 }} gap="5">
          {WORKSPACE_SETTING_KEYS.map((key) => {
            const bounds = WORKSPACE_SETTING_BOUNDS[key];
            const error = showErrors ? errors[key] : undefined;
            return (
              <Field.Root key={key} invalid={error !== undefined} disabled={!canManage}>
                <Field.Label>
                  {bounds.label} ({UNITS[key]})
                </Field.Label>
                <Input
                  name={key}
                  type="number"
                  inputMode="numeric"
                  min={bounds.min}
                  max={bounds.max}
                  step={1}
                  value={draft[key]}
                  onChange={(event) => edit(key, event.target.value)}
                />
                {error ? <Field.ErrorText>{error}</Field.ErrorText> : <Field.HelperText>{HELP[key](Number(draft[key]))}</Field.HelperText>}
              </Field.Root>
            );
          })}
        </SimpleGrid>
        <Field.Root invalid={showErrors && errors.auditRetentionDays !== undefined} disabled={!canManage} maxW="md">
          <Field.Label>{AUDIT_RETENTION_DAYS.label} (days)</Field.Label>
          <Input
            name="auditRetentionDays"
            type="number"
            inputMode="numeric"
            min={AUDIT_RETENTION_DAYS.min}
            max={AUDIT_RETENTION_DAYS.max}
            step={1}
            value={draft.auditRetentionDays}
            onChange={(event) => edit('auditRetentionDays', event.target.value)}
          />
          {showErrors && errors.auditRetentionDays ? (
            <Field.ErrorText>{errors.auditRetentionDays}</Field.ErrorText>
          ) : (
            <Field.HelperText>
              Activity entries older than this are deleted; its own setting, apart from report retention.{' '}
              {AUDIT_RETENTION_DAYS.min.toLocaleString('en')} to {AUDIT_RETENTION_DAYS.max.toLocaleString('en')} days.
            </Field.HelperText>
          )}
        </Field.Root>
        <Stack gap="2" maxW="md" role="group" aria-labelledby={rotationHeadingId}>
          <Text id={rotationHeadingId} fontWeight="medium" textStyle="sm">
            {KEY_ROTATION_DAYS.label}
          </Text>
          <Checkbox.Root
            checked={draft.keyRotation === 'on'}
            disabled={!canManage}
            onCheckedChange={(details) => edit('keyRotation', details.checked === true ? 'on' : 'off')}
          >
            <Checkbox.HiddenInput name="keyRotation" />
            <Checkbox.Control />
            <Checkbox.Label>Rotate every agent&apos;s key automatically</Checkbox.Label>
          </Checkbox.Root>
          {draft.keyRotation === 'on' ? (
            <Field.Root invalid={showErrors && errors.keyRotationDays !== undefined} disabled={!canManage}>
              <Field.Label>Rotate keys older than (days)</Field.Label>
              <Input
                name="keyRotationDays"
                type="number"
                inputMode="numeric"
                min={KEY_ROTATION_DAYS.min}
                max={KEY_ROTATION_DAYS.max}
                step={1}
                value={draft.keyRotationDays}
                onChange={(event) => edit('keyRotationDays', event.target.value)}
              />
              {showErrors && errors.keyRotationDays ? (
                <Field.ErrorText>{errors.keyRotationDays}</Field.ErrorText>
              ) : (
                <Field.HelperText>
                  At its next report, an agent whose key is older than this fetches a new one and switches to it; nobody sees the key, and no report
                  is lost. {KEY_ROTATION_DAYS.min} to {KEY_ROTATION_DAYS.max} days.
                </Field.HelperText>
              )}
            </Field.Root>
          ) : (
            <Text textStyle="sm" color="fg.muted">
              Off: keys change only when someone asks (Ask to rotate, Rotate key on the agents page).
            </Text>
          )}
        </Stack>
        {canManage && (
          <Stack direction={{ base: 'column', sm: 'row' }} gap="3" align={{ base: 'stretch', sm: 'center' }}>
            <Button type="submit" colorPalette="blue" loading={pending} disabled={!changed} alignSelf="flex-start">
              Save settings
            </Button>
            {done && <SavedNote message="Settings saved." />}
          </Stack>
        )}
      </Stack>
    </form>
  );
}
