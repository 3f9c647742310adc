'use client';

import { Stack, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import { useEnrollmentTokens } from '@/lib/hooks/use-enrollment-tokens';
import { describeError } from '@/lib/text/error-message';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { useSession } from '../session-gate/session-context';
import { AppLink } from '../ui/app-link';
import { EmptyPanel } from '../ui/empty-panel';
import { PageHeader } from '../ui/page-header';
import { CreateTokenDialog } from './create-token-dialog';
import { TokensTable } from './tokens-table';

/** Enrollment tokens: one install command for many hosts. Owners and admins only (the rules say so too). */
export function EnrollmentScreen() {
  const session = useSession();
  const ws = session.workspaceId;
  // Viewers read nothing here: the rules would refuse the listener.
  const tokens = useEnrollmentTokens(session.canManage ? ws : null);
  const header = (
    <PageHeader
      eyebrow={<AppLink href={dashboardLinks.agents(ws)}>Agents</AppLink>}
      title="Enrollment tokens"
      description="One install command for a whole fleet: each host that runs it enrolls itself as an agent named after the host, with the token's labels."
      actions={session.canManage ? <CreateTokenDialog workspaceId={ws} /> : undefined}
    />
  );
  let body;
  if (!session.canManage)
    body = <EmptyPanel title="Owners and admins only" description="Ask an owner or admin of this workspace for an enrollment token." />;
  else if (tokens.error) body = <ErrorAlert title="Could not load the enrollment tokens" message={describeError(tokens.error)} />;
  else if (tokens.data === undefined) body = <LoadingState label="Loading the enrollment tokens…" />;
  else if (tokens.data.tokens.length === 0)
    body = (
      <EmptyPanel title="No enrollment tokens yet" description="Create one, then run its install command on each host you want Vigil to watch." />
    );
  else
    body = (
      <>
        <TokensTable workspaceId={ws} tokens={tokens.data.tokens} />
        {/* The list reads a fixed number of the newest tokens (data/enrollment-tokens.ts): say so rather than cut off unseen. */}
        {tokens.data.more && (
          <Text textStyle="sm" color="fg.muted" data-testid="tokens-cut-off">
            Only the newest {tokens.data.tokens.length} tokens are listed; older ones are not shown here.
          </Text>
        )}
      </>
    );
  return (
    <Stack gap="6">
      {header}
      {body}
      <Text textStyle="sm" color="fg.muted">
        For a single host, Create agent on the Agents page gives you its own key instead.
      </Text>
    </Stack>
  );
}
