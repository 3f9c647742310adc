import { Badge, Card, DataList, Heading, Text } from '@chakra-ui/react';
import type { Workspace, WorkspaceRole } from '@/lib/workspace';

const ROLE_LABELS: Record<WorkspaceRole, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };
const ROLE_PALETTES: Record<WorkspaceRole, string> = { owner: 'purple', admin: 'blue', viewer: 'gray' };

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

interface WorkspaceSummaryProps {
  workspace: Workspace;
  role: WorkspaceRole;
}

export function WorkspaceSummary({ workspace, role }: WorkspaceSummaryProps) {
  const { settings, createdAt } = workspace;
  return (
    <Card.Root as="section" aria-labelledby="workspace-name">
      <Card.Header gap="1">
        <Text color="fg.muted" textStyle="xs" textTransform="uppercase" letterSpacing="wider">
          Workspace
        </Text>
        <Heading as="h1" size="2xl" id="workspace-name" data-testid="workspace-name" wordBreak="break-word">
          {workspace.name}
        </Heading>
      </Card.Header>
      <Card.Body>
        <DataList.Root orientation="horizontal" aria-label="Workspace details">
          <DataList.Item>
            <DataList.ItemLabel>Your role</DataList.ItemLabel>
            <DataList.ItemValue>
              <Badge colorPalette={ROLE_PALETTES[role]} data-testid="workspace-role">
                {ROLE_LABELS[role]}
              </Badge>
            </DataList.ItemValue>
          </DataList.Item>
          {settings && (
            <>
              <DataList.Item>
                <DataList.ItemLabel>Report retention</DataList.ItemLabel>
                <DataList.ItemValue>{settings.retentionDays} days</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Reporting interval</DataList.ItemLabel>
                <DataList.ItemValue>{settings.reportingIntervalSeconds} s</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>Alert after</DataList.ItemLabel>
                <DataList.ItemValue>
                  {settings.failedTestThreshold} failed {settings.failedTestThreshold === 1 ? 'test' : 'tests'}
                </DataList.ItemValue>
              </DataList.Item>
            </>
          )}
          {createdAt && (
            <DataList.Item>
              <DataList.ItemLabel>Created</DataList.ItemLabel>
              <DataList.ItemValue>{dateFormat.format(createdAt)}</DataList.ItemValue>
            </DataList.Item>
          )}
        </DataList.Root>
      </Card.Body>
    </Card.Root>
  );
}
