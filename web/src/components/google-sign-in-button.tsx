'use client';

import { Button } from '@chakra-ui/react';
import { useState } from 'react';
import { signInWithGoogle } from '@/lib/auth/auth-actions';
import { getFirebaseAuth } from '@/lib/firebase/firebase';

export function GoogleSignInButton({ onError }: { onError: (error: unknown) => void }) {
  const [pending, setPending] = useState(false);

  async function handleClick() {
    setPending(true);
    try {
      await signInWithGoogle(getFirebaseAuth());
    } catch (caught) {
      onError(caught);
    } finally {
      setPending(false);
    }
  }

  return (
    <Button type="button" variant="outline" loading={pending} onClick={() => void handleClick()}>
      Sign in with Google
    </Button>
  );
}
