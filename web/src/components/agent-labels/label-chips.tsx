import { Badge, Text, Wrap } from '@chakra-ui/react';
import type { AgentLabels } from '@vigil/schema/constants';
import { labelEntries } from '@/lib/domain/labels';

/** An agent's or a token's labels as `key=value` chips, by key; `empty` when there are none. */
export function LabelChips({ labels, empty = null, testId }: { labels: AgentLabels; empty?: string | null; testId?: string }) {
  const entries = labelEntries(labels);
  if (entries.length === 0) {
    return empty ? (
      <Text as="span" color="fg.muted" data-testid={testId}>
        {empty}
      </Text>
    ) : null;
  }
  return (
    <Wrap gap="1" data-testid={testId}>
      {entries.map(([key, value]) => (
        <Badge
          key={key}
          variant="outline"
          colorPalette="purple"
          fontFamily="mono"
          textTransform="none"
          maxW="full"
          wordBreak="break-all"
          whiteSpace="normal"
        >
          {key}={value}
        </Badge>
      ))}
    </Wrap>
  );
}
