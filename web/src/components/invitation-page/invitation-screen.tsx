'use client';

// The invitee's page, `/invitation/?workspace=<ws>&invitation=<id>#token=<token>` (the link of the
// invitation email). Outside SignedInGate: the invitee is not a member of the workspace yet, and may
// not even have an account. Signed out, it offers the sign-in form on the page itself (signing in or
// creating an account keeps the page, so the token never travels through a redirect); signed in with
// an unverified address, it asks for verification first (the server refuses an unverified address);
// then one button accepts and opens the workspace.
import { Alert, Button, Card, Heading, Stack, Text } from '@chakra-ui/react';
import type { User } from 'firebase/auth';
import { dashboardLinks } from '@vigil/schema/constants';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { signOutUser } from '@/lib/auth/auth-actions';
import { useAuth } from '@/lib/auth/auth-context';
import { forgetInvitationToken, invitationRefFrom, takeInvitationToken, withoutFragment, type InvitationRef } from '@/lib/auth/invitation-link';
import { readPublicEnv } from '@/lib/config/env';
import { getFirebaseAuth } from '@/lib/firebase/firebase';
import { useAcceptInvitation } from '@/lib/hooks/use-workspace-writes';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { SignInForm } from '../sign-in-form';
import { ShellFrame } from '../shell/shell-frame';
import { DashboardHeader } from '../shell/dashboard-header';
import { VerifyEmailBanner } from '../shell/verify-email-banner';
import { acceptRefusal, type AcceptRefusal } from './accept-refusal';

type Link = { status: 'reading' } | { status: 'broken' } | { status: 'ready'; ref: InvitationRef; token: string | null };

/** Reads the link once, in the browser, and takes the token out of the address bar at once. */
function useInvitationLink(): Link {
  const [link, setLink] = useState<Link>({ status: 'reading' });
  useEffect(() => {
    const ref = invitationRefFrom(window.location.search);
    const taken = ref ? takeInvitationToken(ref, window.location.hash) : { token: null, scrubFragment: window.location.hash !== '' };
    // Not kept in the history, a bookmark or a screenshot of the address bar.
    if (taken.scrubFragment) window.history.replaceState(window.history.state, '', withoutFragment(window.location.href));
    setLink(ref ? { status: 'ready', ref, token: taken.token } : { status: 'broken' });
  }, []);
  return link;
}

function Intro({ children }: { children: ReactNode }) {
  return (
    <Stack gap="2">
      <Heading as="h1" size="xl">
        You are invited to a Vigil workspace
      </Heading>
      <Text color="fg.muted">{children}</Text>
    </Stack>
  );
}

function Accept({ user, invitation, token }: { user: User; invitation: InvitationRef; token: string }) {
  const acceptInvitation = useAcceptInvitation();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<AcceptRefusal | null>(null);

  async function accept() {
    setPending(true);
    setRefusal(null);
    try {
      // A token from before the address was verified says email_verified: false; the server reads the token.
      if ((await user.getIdTokenResult()).claims.email_verified !== true) await user.getIdToken(true);
      const workspaceId = await acceptInvitation(user.uid, { ...invitation, token });
      forgetInvitationToken(invitation);
      router.push(dashboardLinks.overview(workspaceId));
    } catch (caught) {
      const refused = acceptRefusal(caught);
      if (refused.final) forgetInvitationToken(invitation);
      setRefusal(refused);
      setPending(false);
    }
  }

  return (
    <Stack gap="4" align="flex-start">
      <Button colorPalette="blue" onClick={() => void accept()} loading={pending} disabled={refusal?.final === true}>
        Accept invitation
      </Button>
      {refusal && <ErrorAlert title="Could not accept the invitation" message={refusal.message} />}
      {refusal?.alreadyMember && (
        <Button asChild size="sm" variant="outline">
          <NextLink href={dashboardLinks.overview(invitation.workspaceId)}>Open the workspace</NextLink>
        </Button>
      )}
    </Stack>
  );
}

function SignedIn({ user, link }: { user: User; link: Extract<Link, { status: 'ready' }> }) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <Stack gap="5">
      <Intro>
        Signed in as{' '}
        <Text as="span" fontWeight="semibold" wordBreak="break-all">
          {user.email ?? 'an account without email'}
        </Text>
        . The invitation can be accepted only by the address it was sent to.
      </Intro>
      {user.emailVerified ? (
        link.token ? (
          <Accept user={user} invitation={link.ref} token={link.token} />
        ) : (
          <ErrorAlert title="This link is incomplete" message="Its secret part is missing. Open the whole link from the invitation email again." />
        )
      ) : (
        <VerifyEmailBanner user={user} />
      )}
      <Button
        alignSelf="flex-start"
        size="sm"
        variant="ghost"
        loading={signingOut}
        onClick={() => {
          setSigningOut(true);
          void signOutUser(getFirebaseAuth()).finally(() => setSigningOut(false));
        }}
      >
        Use another account
      </Button>
    </Stack>
  );
}

export function InvitationScreen() {
  const auth = useAuth();
  const link = useInvitationLink();
  const email = auth.status === 'signed-in' ? auth.user.email : undefined;

  let body: ReactNode;
  if (link.status === 'reading' || auth.status === 'loading') body = <LoadingState label="Opening the invitation…" />;
  else if (auth.status === 'misconfigured') body = <ErrorAlert title="The dashboard is misconfigured" message={auth.message} />;
  else if (link.status === 'broken')
    body = <ErrorAlert title="This invitation link is incomplete" message="Open the whole link from the invitation email again." />;
  else if (auth.status === 'signed-out')
    // The form is the page's heading (h1); the invitation is the note above it.
    body = (
      <Stack gap="5">
        <Alert.Root status="info" role="region" aria-label="Invitation">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>You are invited to a Vigil workspace</Alert.Title>
            <Alert.Description>Sign in, or create an account, with the address the invitation was sent to. Then accept it here.</Alert.Description>
          </Alert.Content>
        </Alert.Root>
        <SignInForm googleSignIn={readPublicEnv().googleSignIn} />
      </Stack>
    );
  else
    body = (
      <Card.Root>
        <Card.Body>
          <SignedIn user={auth.user} link={link} />
        </Card.Body>
      </Card.Root>
    );

  return <ShellFrame header={<DashboardHeader email={email} />}>{body}</ShellFrame>;
}
