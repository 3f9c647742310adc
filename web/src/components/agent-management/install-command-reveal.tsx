import { Alert, Stack, Text } from '@chakra-ui/react';
import type { CreateAgentResult } from '@vigil/schema';
import { formatDateTime } from '@/lib/text/format';
import { CodeBlock } from '../ui/code-block';

/**
 * A new agent's install command, shown this once. It carries no agent key: its enrollment token is
 * bound to this agent and works once, until it expires; the host's enrollment issues the key.
 */
export function InstallCommandReveal({ result }: { result: CreateAgentResult }) {
  const expiresAt = new Date(result.expiresAt);
  return (
    <Stack gap="4" data-testid="install-command-reveal">
      <Alert.Root status="warning">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>Copy the command now: it will not be shown again</Alert.Title>
          <Alert.Description>
            It works once, on one server, until{' '}
            <time dateTime={result.expiresAt} data-testid="install-command-expiry">
              {formatDateTime(expiresAt)}
            </time>
            . It carries no agent key: the server gets its own key when the command enrolls it.
          </Alert.Description>
        </Alert.Content>
      </Alert.Root>
      <CodeBlock label="Install command" value={result.installCommand} testId="install-command" />
      <Text textStyle="sm" color="fg.muted">
        Run the command as root on the server. It installs Node.js if needed, enrolls the server as this agent, then installs the agent and its
        systemd service, which reports every few minutes. The agent shows &quot;never seen&quot; until then. If the command was used or has expired,
        use Rotate key on the agent&apos;s row for a new one.
      </Text>
      <CodeBlock label="Enrollment token (for a server behind a relay: vigil-agent enroll)" value={result.token} testId="agent-enrollment-token" />
    </Stack>
  );
}
