'use client';

import { Alert, Button, Flex, Text } from '@chakra-ui/react';
import type { User } from 'firebase/auth';
import { useState } from 'react';
import { refreshVerification, sendVerificationEmail } from '@/lib/auth/auth-actions';
import { authErrorMessage } from '@/lib/auth/auth-errors';

type Note = { kind: 'info' | 'error'; text: string } | null;

/**
 * Shown on every dashboard page until the signed-in address is verified: Vigil mails alerts only to
 * verified addresses, so an unverified account would silently receive nothing.
 */
export function VerifyEmailBanner({ user }: { user: User }) {
  const [busy, setBusy] = useState<'resend' | 'refresh' | null>(null);
  const [note, setNote] = useState<Note>(null);

  async function run(action: 'resend' | 'refresh') {
    setBusy(action);
    setNote(null);
    try {
      if (action === 'resend') {
        await sendVerificationEmail(user);
        setNote({ kind: 'info', text: 'Sent again. Check your inbox, and the spam folder.' });
      } else if (!(await refreshVerification(user))) {
        setNote({ kind: 'info', text: 'Your address is not verified yet: open the link in the email, then refresh.' });
      }
    } catch (caught) {
      setNote({ kind: 'error', text: authErrorMessage(caught) });
    } finally {
      setBusy(null);
    }
  }

  if (user.emailVerified || !user.email) return null;
  return (
    <Alert.Root status="warning" mb="6" data-testid="verify-email-banner" role="region" aria-label="Verify your email address">
      <Alert.Indicator />
      <Alert.Content gap="2">
        <Alert.Title>Verify your email address</Alert.Title>
        <Alert.Description>
          We sent a link to{' '}
          <Text as="span" fontWeight="semibold" wordBreak="break-all">
            {user.email}
          </Text>
          . Vigil sends alerts only to verified addresses.
        </Alert.Description>
        <Flex gap="2" wrap="wrap">
          <Button size="xs" variant="outline" loading={busy === 'resend'} disabled={busy !== null} onClick={() => void run('resend')}>
            Resend the email
          </Button>
          <Button size="xs" variant="outline" loading={busy === 'refresh'} disabled={busy !== null} onClick={() => void run('refresh')}>
            I’ve verified: refresh
          </Button>
        </Flex>
        {note && (
          <Text textStyle="sm" role={note.kind === 'error' ? 'alert' : 'status'} color={note.kind === 'error' ? 'red.fg' : undefined}>
            {note.text}
          </Text>
        )}
      </Alert.Content>
    </Alert.Root>
  );
}
