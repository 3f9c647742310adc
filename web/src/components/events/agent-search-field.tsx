'use client';

import { Box, Button, Field, Input, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useAgentOnce, useAgentSearch } from '@/lib/hooks/use-agents';
import { useDebounced } from '@/lib/hooks/use-debounced';

interface AgentSearchFieldProps {
  workspaceId: string;
  /** The agent the feed is filtered by, or undefined for every agent. */
  agentId: string | undefined;
  onChange: (agentId: string | undefined) => void;
}

/**
 * The events feed's agent filter: a search by name prefix, case-sensitive as names are typed (at most AGENT_SEARCH_LIMIT agents per
 * pause in typing), never a list of every agent. The chosen agent's name comes from one read of its
 * document, so a link with `?agent=<id>` shows it too.
 */
export function AgentSearchField({ workspaceId, agentId, onChange }: AgentSearchFieldProps) {
  // null while the field shows the chosen agent; the text typed otherwise.
  const [typed, setTyped] = useState<string | null>(null);
  const prefix = useDebounced(typed ?? '');
  const chosen = useAgentOnce(workspaceId, agentId ?? null);
  const matches = useAgentSearch(workspaceId, typed === null ? '' : prefix);
  const chosenName = !agentId ? '' : chosen.data === undefined ? 'Loading…' : chosen.data === null ? 'Deleted agent' : chosen.data.name;
  const searching = typed !== null && typed.trim() !== '';

  function type(text: string) {
    setTyped(text);
    // Emptying the field is choosing every agent again.
    if (text.trim() === '' && agentId) onChange(undefined);
  }

  return (
    <Field.Root w={{ base: 'full', sm: '56' }} position="relative">
      <Field.Label>Agent</Field.Label>
      <Input
        type="search"
        placeholder="Every agent (name starts with…)"
        value={typed ?? chosenName}
        onChange={(event) => type(event.target.value)}
        onFocus={(event) => typed === null && event.currentTarget.select()}
        onKeyDown={(event) => {
          // Escape closes the results and shows the chosen agent again (not the search field's own
          // clearing, which would choose every agent).
          if (event.key !== 'Escape' || typed === null) return;
          event.preventDefault();
          setTyped(null);
        }}
      />
      {searching && (
        <Box
          position="absolute"
          top="100%"
          insetInline="0"
          zIndex="dropdown"
          mt="1"
          borderWidth="1px"
          borderRadius="l2"
          bg="bg"
          boxShadow="md"
          p="1"
          data-testid="agent-search-results"
        >
          {matches.error ? (
            <Text textStyle="sm" color="red.fg" p="2">
              Could not search the agents.
            </Text>
          ) : !matches.data ? (
            <Text textStyle="sm" color="fg.muted" p="2">
              Searching…
            </Text>
          ) : matches.data.length === 0 ? (
            <Text textStyle="sm" color="fg.muted" p="2">
              No agent name starts with that.
            </Text>
          ) : (
            <Stack as="ul" gap="0" listStyleType="none" aria-label="Matching agents">
              {matches.data.map((agent) => (
                <li key={agent.id}>
                  <Button
                    variant="ghost"
                    size="sm"
                    w="full"
                    justifyContent="flex-start"
                    onClick={() => {
                      setTyped(null);
                      onChange(agent.id);
                    }}
                  >
                    {agent.name}
                  </Button>
                </li>
              ))}
            </Stack>
          )}
        </Box>
      )}
    </Field.Root>
  );
}
