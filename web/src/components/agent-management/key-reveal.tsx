import { Alert, Stack, Text } from '@chakra-ui/react';
import type { RotateAgentKeyResult } from '@vigil/schema';
import { CodeBlock } from '../ui/code-block';

/** A rotated agent key, shown this once, with the command that installs the agent with it. */
export function KeyReveal({ result }: { result: RotateAgentKeyResult }) {
  return (
    <Stack gap="4" data-testid="key-reveal">
      <Alert.Root status="warning">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>Copy the key now: it will not be shown again</Alert.Title>
          <Alert.Description>Vigil stores only a hash of it. If you lose it, rotate the key and install with the new one.</Alert.Description>
        </Alert.Content>
      </Alert.Root>
      <CodeBlock label="Agent key" value={result.key} testId="agent-key" />
      <CodeBlock label="Install command" value={result.installCommand} testId="install-command" />
      <Text textStyle="sm" color="fg.muted">
        Run the command as root on the server. It installs Node.js if needed, the agent and its systemd service, which reports every few minutes.
      </Text>
    </Stack>
  );
}
