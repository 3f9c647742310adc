'use client';

// Every page of a workspace: checks the session (sign-in otherwise, then back here), settles which
// workspace is shown and the user's role there, and draws the header around the page.
import type { User } from 'firebase/auth';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, type ReactNode } from 'react';
import { useAuth } from '@/lib/auth/auth-context';
import { describeError } from '@/lib/text/error-message';
import { useWorkspaceSession } from '@/lib/hooks/use-workspace-session';
import { prefetchData } from '@/lib/firebase/lazy';
import { signInPathFor } from '@/lib/auth/next-path';
import { ErrorAlert } from '../error-alert';
import { LoadingState } from '../loading-state';
import { DashboardHeader } from '../shell/dashboard-header';
import { PublicShell } from '../shell/public-shell';
import { ShellFrame } from '../shell/shell-frame';
import { VerifyEmailBanner } from '../shell/verify-email-banner';
import { NoAccess } from './no-access';
import { SessionContext } from './session-context';

/** Starts a page's reads once its workspace is known, while the role and workspace still load. */
type Warmup = (workspaceId: string) => ReactNode;

interface PageProps {
  children: ReactNode;
  warmup?: Warmup;
}

function SignedIn({ user, children, warmup }: PageProps & { user: User }) {
  const workspaceParam = useSearchParams().get('ws');
  const state = useWorkspaceSession(user, workspaceParam || null);
  const session = state.status === 'ready' ? state.session : undefined;
  const knownWorkspace = session?.workspaceId ?? (state.status === 'loading' ? state.workspaceId : null);
  return (
    <ShellFrame wide header={<DashboardHeader email={user.email} session={session} />}>
      {warmup && knownWorkspace && warmup(knownWorkspace)}
      <VerifyEmailBanner user={user} />
      {state.status === 'loading' && <LoadingState label={state.label} />}
      {state.status === 'error' && (
        <ErrorAlert title={state.title} message={describeError(state.error)} onRetry={state.retry} retrying={state.retrying} />
      )}
      {state.status === 'no-access' && <NoAccess />}
      {session && <SessionContext.Provider value={session}>{children}</SessionContext.Provider>}
    </ShellFrame>
  );
}

function Gate({ children, warmup }: PageProps) {
  const auth = useAuth();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const signedOut = auth.status === 'signed-out';

  // Fetch the data layer while the session is being restored, not after.
  useEffect(() => prefetchData(), []);
  useEffect(() => {
    if (signedOut) router.replace(signInPathFor(search ? `${pathname}?${search}` : pathname));
  }, [signedOut, router, pathname, search]);

  switch (auth.status) {
    case 'loading':
      return <Waiting label="Checking your session…" />;
    case 'signed-out':
      return <Waiting label="Redirecting to sign in…" />;
    case 'misconfigured':
      return (
        <PublicShell>
          <ErrorAlert title="The dashboard is misconfigured" message={auth.message} />
        </PublicShell>
      );
    case 'signed-in':
      return (
        <SignedIn key={auth.user.uid} user={auth.user} warmup={warmup}>
          {children}
        </SignedIn>
      );
  }
}

function Waiting({ label }: { label: string }) {
  return (
    <ShellFrame wide header={<DashboardHeader />}>
      <LoadingState label={label} />
    </ShellFrame>
  );
}

export function SignedInGate({ children, warmup }: PageProps) {
  // The query string (ws, agent, …) is only known in the browser: the static HTML is the fallback.
  return (
    <Suspense fallback={<Waiting label="Loading…" />}>
      <Gate warmup={warmup}>{children}</Gate>
    </Suspense>
  );
}
