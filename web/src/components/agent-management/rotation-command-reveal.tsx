import { Alert, Stack, Text } from '@chakra-ui/react';
import type { RotateAgentKeyResult } from '@vigil/schema';
import { formatDateTime } from '@/lib/text/format';
import { CodeBlock } from '../ui/code-block';

/**
 * After "Rotate key": the agent's old key is dead already, and this command, shown once, gives its
 * server a new one. It carries no agent key: its enrollment token is bound to this agent and works
 * once, until it expires; the server's enrollment issues the key (as for a new agent's command).
 */
export function RotationCommandReveal({ result }: { result: RotateAgentKeyResult }) {
  return (
    <Stack gap="4" data-testid="rotation-command-reveal">
      <Alert.Root status="warning">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>The old key no longer works: run this command on the agent&apos;s server</Alert.Title>
          <Alert.Description>
            Its reports are refused until then. The command works once, on one server, until{' '}
            <time dateTime={result.expiresAt} data-testid="install-command-expiry">
              {formatDateTime(new Date(result.expiresAt))}
            </time>
            , and will not be shown again. It carries no agent key: the server gets a new one when the command enrolls it.
          </Alert.Description>
        </Alert.Content>
      </Alert.Root>
      <CodeBlock label="Install command" value={result.installCommand} testId="install-command" />
      <Text textStyle="sm" color="fg.muted">
        Run it as root on the server. It enrolls the server again as this agent, replacing the old key in /etc/vigil/key with a new one
        (--force-enroll), updates the agent and restarts it. If the command expires unused, use Rotate key again for a new one.
      </Text>
      <CodeBlock
        label="Enrollment token (for a server behind a relay: vigil-agent enroll, then restart the agent)"
        value={result.token}
        testId="agent-enrollment-token"
      />
    </Stack>
  );
}
