'use client';

import { Button, Dialog, Portal, Stack } from '@chakra-ui/react';
import { useState, type FormEvent } from 'react';
import { formatLabelLines, parseLabelLines } from '@/lib/domain/labels';
import { useSetAgentLabels } from '@/lib/hooks/use-agent-labels';
import type { AgentView } from '@/lib/model/agent';
import { ErrorAlert } from '../error-alert';
import { useSession } from '../session-gate/session-context';
import { useWriteState } from '../ui/use-write-state';
import { LabelChips } from './label-chips';
import { LabelsField } from './labels-field';

/** The agent page's labels: chips for everyone, and for owners and admins an editor of the whole set. */
export function AgentLabelsFact({ agent }: { agent: AgentView }) {
  const session = useSession();
  return (
    <Stack gap="2" align="flex-start">
      <LabelChips labels={agent.labels} empty="None" testId="agent-labels" />
      {session.canManage && <EditLabelsDialog workspaceId={session.workspaceId} agent={agent} />}
    </Stack>
  );
}

function EditLabelsDialog({ workspaceId, agent }: { workspaceId: string; agent: AgentView }) {
  const setAgentLabels = useSetAgentLabels();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const { pending, error, run, clearError } = useWriteState();
  const parsed = parseLabelLines(text);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (parsed.problems.length > 0) return;
    const saved = await run(() => setAgentLabels({ workspaceId, agentId: agent.id, labels: parsed.labels }));
    if (saved) setOpen(false);
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => {
        if (pending) return;
        setOpen(details.open);
        // Each opening starts from the labels the agent has now (the page is live).
        if (details.open) setText(formatLabelLines(agent.labels));
        else clearError();
      }}
      size={{ mdDown: 'full', md: 'md' }}
    >
      <Dialog.Trigger asChild>
        <Button size="xs" variant="outline" aria-label={`Edit labels of ${agent.name}`}>
          Edit labels
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={(event) => void submit(event)} aria-label="Edit labels">
              <Dialog.Header>
                <Dialog.Title>Labels of {agent.name}</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  {error && <ErrorAlert title="Could not save the labels" message={error} />}
                  <LabelsField value={text} onChange={setText} helper="These replace the agent's labels; an empty box removes them all." />
                </Stack>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline" disabled={pending}>
                    Cancel
                  </Button>
                </Dialog.ActionTrigger>
                <Button type="submit" colorPalette="blue" loading={pending} disabled={parsed.problems.length > 0}>
                  Save labels
                </Button>
              </Dialog.Footer>
            </form>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
