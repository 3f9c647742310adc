'use client';

import { Button, Card, Field, Input, Separator, Stack, Text } from '@chakra-ui/react';
import { useState, type SubmitEvent } from 'react';
import { createAccount, requestPasswordReset, signInWithEmail } from '@/lib/auth/auth-actions';
import { authErrorMessage, passwordResetFailure } from '@/lib/auth/auth-errors';
import { getFirebaseAuth } from '@/lib/firebase/firebase';
import { ErrorAlert } from './error-alert';
import { GoogleSignInButton } from './google-sign-in-button';

type Mode = 'sign-in' | 'create-account' | 'reset-password';

const COPY = {
  'sign-in': {
    title: 'Sign in to Vigil',
    submit: 'Sign in',
    failure: 'Could not sign in',
    switchPrompt: 'No account yet?',
    switchAction: 'Create an account',
  },
  'create-account': {
    title: 'Create your Vigil account',
    submit: 'Create account',
    failure: 'Could not create the account',
    switchPrompt: 'Already have an account?',
    switchAction: 'Sign in instead',
  },
  'reset-password': {
    title: 'Reset your password',
    submit: 'Send reset link',
    failure: 'Could not send the reset link',
    switchPrompt: 'Remembered it?',
    switchAction: 'Back to sign in',
  },
} as const;

// The same words whether or not the address has an account: the form must not tell which.
const RESET_SENT = 'If an account exists for that address, we have sent it a link to choose a new password.';

export function SignInForm({ googleSignIn }: { googleSignIn: boolean }) {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const copy = COPY[mode];

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    setSent(false);
    try {
      if (mode === 'reset-password') {
        await requestPasswordReset(getFirebaseAuth(), email).then(
          () => setSent(true),
          (caught: unknown) => {
            const failure = passwordResetFailure(caught);
            if (failure) setError(failure);
            else setSent(true);
          },
        );
      } else {
        const submit = mode === 'sign-in' ? signInWithEmail : createAccount;
        await submit(getFirebaseAuth(), email, password);
      }
    } catch (caught) {
      setError(authErrorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  }

  function changeMode(next: Mode) {
    setMode(next);
    setError(null);
    setSent(false);
  }

  return (
    <Card.Root>
      <Card.Header>
        <Card.Title as="h1">{copy.title}</Card.Title>
      </Card.Header>
      <Card.Body>
        <form onSubmit={(event) => void handleSubmit(event)} aria-label={copy.title}>
          <Stack gap="5">
            {error && <ErrorAlert title={copy.failure} message={error} />}
            {sent && (
              <Text role="status" textStyle="sm" data-testid="reset-sent">
                {RESET_SENT}
              </Text>
            )}
            <Field.Root required>
              <Field.Label>
                Email <Field.RequiredIndicator />
              </Field.Label>
              <Input name="email" type="email" autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} />
            </Field.Root>
            {mode !== 'reset-password' && (
              <Field.Root required>
                <Field.Label>
                  Password <Field.RequiredIndicator />
                </Field.Label>
                <Input
                  name="password"
                  type="password"
                  autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
                {mode === 'create-account' && <Field.HelperText>At least 6 characters.</Field.HelperText>}
              </Field.Root>
            )}
            <Button type="submit" colorPalette="blue" loading={submitting} loadingText={copy.submit}>
              {copy.submit}
            </Button>
            {mode === 'sign-in' && (
              <Button variant="plain" size="sm" colorPalette="blue" px="0" alignSelf="flex-start" onClick={() => changeMode('reset-password')}>
                Forgot password?
              </Button>
            )}
            {googleSignIn && mode !== 'reset-password' && (
              <>
                <Separator />
                <GoogleSignInButton onError={(caught) => setError(authErrorMessage(caught))} />
              </>
            )}
          </Stack>
        </form>
      </Card.Body>
      <Card.Footer justifyContent="center" gap="1">
        <Text color="fg.muted" textStyle="sm">
          {copy.switchPrompt}
        </Text>
        <Button variant="plain" size="sm" colorPalette="blue" px="0" onClick={() => changeMode(mode === 'sign-in' ? 'create-account' : 'sign-in')}>
          {copy.switchAction}
        </Button>
      </Card.Footer>
    </Card.Root>
  );
}
