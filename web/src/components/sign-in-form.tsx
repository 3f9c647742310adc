'use client';

import { Button, Card, Field, Input, Separator, Stack, Text } from '@chakra-ui/react';
import { useState, type SubmitEvent } from 'react';
import { createAccount, signInWithEmail } from '@/lib/auth-actions';
import { authErrorMessage } from '@/lib/auth-errors';
import { getFirebaseAuth } from '@/lib/firebase';
import { ErrorAlert } from './error-alert';
import { GoogleSignInButton } from './google-sign-in-button';

type Mode = 'sign-in' | 'create-account';

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
} as const;

export function SignInForm({ googleSignIn }: { googleSignIn: boolean }) {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const copy = COPY[mode];

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const submit = mode === 'sign-in' ? signInWithEmail : createAccount;
      await submit(getFirebaseAuth(), email, password);
    } catch (caught) {
      setError(authErrorMessage(caught));
    } finally {
      setSubmitting(false);
    }
  }

  function switchMode() {
    setMode(mode === 'sign-in' ? 'create-account' : 'sign-in');
    setError(null);
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
            <Field.Root required>
              <Field.Label>
                Email <Field.RequiredIndicator />
              </Field.Label>
              <Input
                name="email"
                type="email"
                autoComplete="email"
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </Field.Root>
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
            <Button type="submit" colorPalette="blue" loading={submitting} loadingText={copy.submit}>
              {copy.submit}
            </Button>
            {googleSignIn && (
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
        <Button variant="plain" size="sm" colorPalette="blue" px="0" onClick={switchMode}>
          {copy.switchAction}
        </Button>
      </Card.Footer>
    </Card.Root>
  );
}
