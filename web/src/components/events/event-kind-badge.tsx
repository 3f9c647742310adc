import { Badge } from '@chakra-ui/react';
import type { EventKind } from '@vigil/schema';
import { EVENT_KIND_LABELS, EVENT_KIND_PALETTES } from '@vigil/schema/constants';

export function EventKindBadge({ kind }: { kind: EventKind }) {
  return (
    <Badge colorPalette={EVENT_KIND_PALETTES[kind]} variant="surface" flexShrink={0}>
      {EVENT_KIND_LABELS[kind]}
    </Badge>
  );
}
