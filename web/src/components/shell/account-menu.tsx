'use client';

import { Button, HStack, Text } from '@chakra-ui/react';
import { dashboardLinks } from '@vigil/schema/constants';
import NextLink from 'next/link';
import { useState } from 'react';
import { signOutUser } from '@/lib/auth/auth-actions';
import { getFirebaseAuth } from '@/lib/firebase/firebase';

function PersonIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21a8 8 0 0 1 16 0" />
    </svg>
  );
}

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
      {/* An icon on a phone, where the header has no room for the word. */}
      <Button asChild size="sm" variant="ghost" px={{ base: '2', md: '3' }} css={{ _icon: { width: '5', height: '5' } }}>
        <NextLink href={dashboardLinks.account()} aria-label="Account">
          <PersonIcon />
          <Text as="span" display={{ base: 'none', md: 'inline' }}>
            Account
          </Text>
        </NextLink>
      </Button>
      <Button size="sm" variant="outline" onClick={() => void handleSignOut()} loading={signingOut}>
        Sign out
      </Button>
    </HStack>
  );
}
