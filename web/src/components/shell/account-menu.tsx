'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import NextLink from 'next/link';
import { useState } from 'react';
import { signOutUser } from '@/lib/auth/auth-actions';
import { getFirebaseAuth } from '@/lib/firebase/firebase';

export function AccountMenu({ email }: { email: string | null }) {
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
    <HStack gap="3" minW="0">
      <Text color="fg.muted" textStyle="sm" truncate maxW="56" display={{ base: 'none', md: 'block' }} data-testid="signed-in-email">
        {email ?? 'an account without email'}
      </Text>
      <Button asChild size="sm" variant="ghost">
        <NextLink href={dashboardLinks.account()}>Account</NextLink>
      </Button>
      <Button size="sm" variant="outline" onClick={() => void handleSignOut()} loading={signingOut}>
        Sign out
      </Button>
    </HStack>
  );
}
