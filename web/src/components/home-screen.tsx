'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useAuth } from '@/lib/auth-context';
import { ErrorAlert } from './error-alert';
import { LoadingState } from './loading-state';
import { WorkspaceHome } from './workspace-home';

export function HomeScreen() {
  const auth = useAuth();
  const router = useRouter();
  const signedOut = auth.status === 'signed-out';

  useEffect(() => {
    if (signedOut) router.replace('/signin/');
  }, [signedOut, router]);

  switch (auth.status) {
    case 'loading':
      return <LoadingState label="Checking your session…" />;
    case 'signed-out':
      return <LoadingState label="Redirecting to sign in…" />;
    case 'misconfigured':
      return <ErrorAlert title="The dashboard is misconfigured" message={auth.message} />;
    case 'signed-in':
      return <WorkspaceHome user={auth.user} />;
  }
}
