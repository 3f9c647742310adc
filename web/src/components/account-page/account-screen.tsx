'use client';

// `/account/`, from the account menu: the signed-in user's address, whether it is verified, and
// deleting the account. It needs no workspace (outside SignedInGate's workspace check): a user whose
// last workspace was just deleted or left lands here (the profile then lists none; the name is
// kept in sessionStorage: last-workspace-gone.ts) and may start a new workspace or delete the account.
import { Alert, Badge, Button, DataList, HStack, Stack, Text } from '@chakra-ui/react';
import type { User } from 'firebase/auth';
import { dashboardLinks } from '@vigil/schema/constants';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { useAuth } from '@/lib/auth/auth-context';
import { signInPathFor } from '@/lib/auth/next-path';
import { useUserProfile } from '@/lib/hooks/use-workspace-session';
import { usePersonalWorkspace } from '@/lib/hooks/use-workspace-writes';
import { defaultWorkspaceOf } from '@/lib/model/user-workspaces';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { DashboardHeader } from '../shell/dashboard-header';
import { ShellFrame } from '../shell/shell-frame';
import { VerifyEmailBanner } from '../shell/verify-email-banner';
import { FactItem } from '../ui/fact-item';
import { PageHeader } from '../ui/page-header';
import { Section } from '../ui/section';
import { useWriteState } from '../ui/use-write-state';
import { DeleteAccountSection } from './delete-account-section';
import { forgetGoneWorkspace, goneWorkspace } from './last-workspace-gone';

function NoWorkspaceLeft({ uid }: { uid: string }) {
  const personalWorkspace = usePersonalWorkspace();
  const router = useRouter();
  const { pending, error, run } = useWriteState();
  // Read once: the name is this tab's memory of what the user just did, if anything.
  const [gone] = useState(() => goneWorkspace(uid));
  const title = gone === null ? 'You have no workspace' : gone.how === 'deleted' ? `${gone.name} was deleted` : `You left ${gone.name}`;
  return (
    <Alert.Root status="info" role="region" aria-label="No workspace left">
      <Alert.Indicator />
      <Alert.Content gap="2">
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>You belong to no workspace now. Start a new one, or delete your account below.</Alert.Description>
        <Button
          alignSelf="flex-start"
          size="sm"
          colorPalette="blue"
          loading={pending}
          onClick={() =>
            void run(async () => {
              const fresh = await personalWorkspace(uid);
              forgetGoneWorkspace(uid);
              router.push(dashboardLinks.overview(fresh));
            })
          }
        >
          Start a new workspace
        </Button>
        {error && <ErrorAlert title="Could not start a workspace" message={error} />}
      </Alert.Content>
    </Alert.Root>
  );
}

function Account({ user, onDeleting }: { user: User; onDeleting: (deleting: boolean) => void }) {
  const profile = useUserProfile(user.uid);
  // Only what the profile says (the cached copy, edited by the deletion or the leave that led here).
  const noWorkspace = profile.data !== undefined && defaultWorkspaceOf(profile.data) === null;
  return (
    <Stack gap="6">
      <PageHeader title="Your account" />
      {noWorkspace && <NoWorkspaceLeft uid={user.uid} />}
      <VerifyEmailBanner user={user} />
      <Section title="Sign-in">
        <Stack gap="4">
          <DataList.Root orientation="horizontal">
            <FactItem label="Email">
              <HStack gap="2" wrap="wrap">
                <Text wordBreak="break-all" data-testid="account-email">
                  {user.email ?? 'No email address'}
                </Text>
                <Badge colorPalette={user.emailVerified ? 'green' : 'orange'} data-testid="account-verified">
                  {user.emailVerified ? 'Verified' : 'Not verified'}
                </Badge>
              </HStack>
            </FactItem>
          </DataList.Root>
          {!noWorkspace && (
            <Button asChild alignSelf="flex-start" size="sm" variant="outline">
              <NextLink href="/">Back to your workspace</NextLink>
            </Button>
          )}
        </Stack>
      </Section>
      <DeleteAccountSection uid={user.uid} onDeleting={onDeleting} />
    </Stack>
  );
}

/**
 * Set while the account is being deleted: signed out then means "done", not "sign in to see this".
 * Outside React state because signing out remounts the page (SessionCache keys the tree by user).
 */
let deletingAccount = false;
const setDeletingAccount = (deleting: boolean) => {
  deletingAccount = deleting;
};

function AccountContent() {
  const auth = useAuth();
  const router = useRouter();
  const signedOut = auth.status === 'signed-out';
  useEffect(() => {
    if (!signedOut) return;
    router.replace(deletingAccount ? '/signin/' : signInPathFor(dashboardLinks.account()));
    deletingAccount = false;
  }, [signedOut, router]);

  const email = auth.status === 'signed-in' ? auth.user.email : undefined;
  return (
    <ShellFrame wide header={<DashboardHeader email={email} />}>
      {auth.status === 'loading' && <LoadingState label="Checking your session…" />}
      {auth.status === 'signed-out' && <LoadingState label="Redirecting to sign in…" />}
      {auth.status === 'misconfigured' && <ErrorAlert title="The dashboard is misconfigured" message={auth.message} />}
      {auth.status === 'signed-in' && <Account user={auth.user} onDeleting={setDeletingAccount} />}
    </ShellFrame>
  );
}

export function AccountScreen() {
  return (
    <Suspense fallback={<LoadingState label="Loading…" />}>
      <AccountContent />
    </Suspense>
  );
}
