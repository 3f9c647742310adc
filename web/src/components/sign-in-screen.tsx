'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useAuth } from '@/lib/auth-context';
import { readPublicEnv } from '@/lib/env';
import { ErrorAlert } from './error-alert';
import { LoadingState } from './loading-state';
import { SignInForm } from './sign-in-form';

export function SignInScreen() {
  const auth = useAuth();
  const router = useRouter();
  const signedIn = auth.status === 'signed-in';

  useEffect(() => {
    if (signedIn) router.replace('/');
  }, [signedIn, router]);

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
