'use client';

import { Button, Flex, Stack, Text } from '@chakra-ui/react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { auditFilterParams, auditFiltersFrom, auditFiltersProblem, isAuditFiltered, type AuditFilters } from '@/lib/domain/audit-filters';
import { useAuditFeed } from '@/lib/hooks/use-audit';
import { UNKNOWN_ACTOR_EXPLANATION } from '@/lib/text/audit-text';
import { describeError } from '@/lib/text/error-message';
import { dashboardLinks } from '@vigil/schema/constants';
import { useSession } from '../session-gate/session-context';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { ActivityFilters } from './activity-filters';
import { AuditEntryRow } from './audit-entry-row';
import { isLoadingOlder } from './load-older';

/** The audit log of the workspace, for owners and admins: who changed what, newest first, filtered on the server. */
export function ActivityScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  const router = useRouter();
  const params = useSearchParams();
  const filters = useMemo(() => auditFiltersFrom(new URLSearchParams(params.toString())), [params]);
  const problem = auditFiltersProblem(filters);
  // A viewer reads nothing: the rules would refuse it, and the page says why instead.
  const readable = session.canManage && problem === null;
  const feed = useAuditFeed(readable ? ws : null, filters);
  const entries = feed.data?.flatMap((page) => page.entries);
  const hasMore = Boolean(feed.data?.at(-1)?.next);

  function changeFilters(next: AuditFilters) {
    // The filters live in the URL, so a filtered log can be linked to and survives a reload.
    router.replace(dashboardLinks.activity(ws, auditFilterParams(next)));
  }

  const header = <PageHeader eyebrow={session.workspace.name} title="Activity" description="Who changed what in this workspace, newest first." />;
  if (!session.canManage) {
    return (
      <Stack gap="6">
        {header}
        <EmptyPanel
          title="Activity is for owners and admins"
          description="The workspace's audit log shows its owners and admins who changed what. Ask an owner if you need to see it."
        />
      </Stack>
    );
  }

  return (
    <Stack gap="6">
      {header}
      <ActivityFilters workspaceId={ws} filters={filters} onChange={changeFilters} />
      {problem ? (
        <EmptyPanel title="These days match nothing" description={problem} />
      ) : feed.error ? (
        <ErrorAlert
          title="Could not load the activity"
          message={describeError(feed.error)}
          onRetry={() => void feed.mutate()}
          retrying={feed.isValidating}
        />
      ) : !entries ? (
        <LoadingState label="Loading activity…" />
      ) : entries.length === 0 ? (
        <EmptyPanel
          title={isAuditFiltered(filters) ? 'No activity matches these filters' : 'No activity yet'}
          description="Invitations, role changes, agents created or revoked, settings changes, acknowledgements and checked tests appear here."
        />
      ) : (
        <>
          {entries.some((entry) => entry.actor.type === 'unknown') && (
            <Text textStyle="sm" color="fg.muted">
              “unknown”: {UNKNOWN_ACTOR_EXPLANATION}
            </Text>
          )}
          <Stack as="ol" gap="3" listStyleType="none" data-testid="audit-feed">
            {entries.map((entry) => (
              <AuditEntryRow key={entry.id} workspaceId={ws} entry={entry} />
            ))}
          </Stack>
        </>
      )}
      {hasMore && !problem && (
        <Flex justify="center">
          <Button
            variant="outline"
            onClick={() => void feed.setSize(feed.size + 1)}
            loading={isLoadingOlder({ size: feed.size, loaded: feed.data?.length, validating: feed.isValidating })}
          >
            Load older activity
          </Button>
        </Flex>
      )}
    </Stack>
  );
}
