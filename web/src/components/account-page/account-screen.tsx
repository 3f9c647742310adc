'use client';

// `/account/`, from the account menu: the signed-in user's address, whether it is verified, and
// deleting the account. It needs no workspace (outside SignedInGate's workspace check): a user whose
// last workspace was just deleted lands here (`?deleted=<name>`) and may start a new workspace or
// delete the account.
import { Alert, Badge, Button, DataList, HStack, Stack, Text } from '@chakra-ui/react';
import type { User } from 'firebase/auth';
import { dashboardLinks } from '@vigil/schema/constants';
import NextLink from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect } from 'react';
import { useAuth } from '@/lib/auth/auth-context';
import { signInPathFor } from '@/lib/auth/next-path';
import { usePersonalWorkspace } from '@/lib/hooks/use-workspace-writes';
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

function NoWorkspaceLeft({ uid, deletedName }: { uid: string; deletedName: string }) {
  const personalWorkspace = usePersonalWorkspace();
  const router = useRouter();
  const { pending, error, run } = useWriteState();
  return (
    <Alert.Root status="info" role="region" aria-label="No workspace left">
      <Alert.Indicator />
      <Alert.Content gap="2">
        <Alert.Title>{deletedName} was deleted</Alert.Title>
        <Alert.Description>You belong to no workspace now. Start a new one, or delete your account below.</Alert.Description>
        <Button
          alignSelf="flex-start"
          size="sm"
          colorPalette="blue"
          loading={pending}
          onClick={() => void run(async () => router.push(dashboardLinks.overview(await personalWorkspace(uid))))}
        >
          Start a new workspace
        </Button>
        {error && <ErrorAlert title="Could not start a workspace" message={error} />}
      </Alert.Content>
    </Alert.Root>
  );
}

function Account({ user, onDeleting }: { user: User; onDeleting: (deleting: boolean) => void }) {
  const deletedName = useSearchParams().get('deleted');
  return (
    <Stack gap="6">
      <PageHeader title="Your account" />
      {deletedName !== null && <NoWorkspaceLeft uid={user.uid} deletedName={deletedName} />}
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
          {deletedName === null && (
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
