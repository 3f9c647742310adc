import { Alert, Stack, Text } from '@chakra-ui/react';
import type { CreateEnrollmentTokenResult } from '@vigil/schema';
import { CodeBlock } from '../ui/code-block';

/** A new enrollment token and its install command, shown this once (no agent key is ever shown: the host gets one when it enrolls). */
export function TokenReveal({ result }: { result: CreateEnrollmentTokenResult }) {
  return (
    <Stack gap="4" data-testid="token-reveal">
      <Alert.Root status="warning">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>Copy the token now: it will not be shown again</Alert.Title>
          <Alert.Description>Vigil stores only a hash of it. If you lose it, revoke it and create another.</Alert.Description>
        </Alert.Content>
      </Alert.Root>
      <CodeBlock label="Enrollment token" value={result.token} testId="enrollment-token" />
      <CodeBlock label="Install command" value={result.installCommand} testId="enrollment-install-command" />
      <Text textStyle="sm" color="fg.muted">
        Run this as root on each host; each becomes an agent named after the host, with this token&apos;s labels, and gets its own key. Anyone with
        the token can enroll hosts until it expires, is used up or is revoked: keep it like a password.
      </Text>
    </Stack>
  );
}
