'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect } from 'react';
import { useAuth } from '@/lib/auth/auth-context';
import { readPublicEnv } from '@/lib/config/env';
import { safeNextPath } from '@/lib/auth/next-path';
import { ErrorAlert } from './error-alert';
import { LoadingState } from './loading-state';
import { PublicShell } from './shell/public-shell';
import { SignInForm } from './sign-in-form';

function SignInContent() {
  const auth = useAuth();
  const router = useRouter();
  const next = useSearchParams().get('next');
  const signedIn = auth.status === 'signed-in';

  useEffect(() => {
    // Resolved against this page's origin in the browser: see safeNextPath.
    if (signedIn) router.replace(safeNextPath(next, window.location.origin));
  }, [signedIn, router, next]);

  switch (auth.status) {
    case 'loading':
      return <LoadingState label="Checking your session…" />;
    case 'signed-in':
      return <LoadingState label="Opening your dashboard…" />;
    case 'misconfigured':
      return <ErrorAlert title="The dashboard is misconfigured" message={auth.message} />;
    case 'signed-out':
      return <SignInForm googleSignIn={readPublicEnv().googleSignIn} />;
  }
}

export function SignInScreen() {
  return (
    <PublicShell>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <SignInContent />
      </Suspense>
    </PublicShell>
  );
}
