'use client';

import { Button, Flex, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { signOutUser } from '@/lib/auth-actions';
import { getFirebaseAuth } from '@/lib/firebase';

export function AccountBar({ email }: { email: string | null }) {
  const [signingOut, setSigningOut] = useState(false);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOutUser(getFirebaseAuth());
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <Flex as="section" aria-label="Account" align="center" justify="space-between" gap="4" wrap="wrap">
      <Text color="fg.muted" textStyle="sm" minW="0" truncate>
        Signed in as{' '}
        <Text as="span" color="fg" fontWeight="medium" data-testid="signed-in-email">
          {email ?? 'an account without email'}
        </Text>
      </Text>
      <Button size="sm" variant="outline" onClick={() => void handleSignOut()} loading={signingOut}>
        Sign out
      </Button>
    </Flex>
  );
}
