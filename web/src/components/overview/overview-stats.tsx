import { SimpleGrid } from '@chakra-ui/react';
import { plural } from '@/lib/text/format';
import type { FleetCounts } from '@/lib/model/fleet-summary';
import { openEventsLabel } from '@/lib/domain/overview-figures';
import { StatTile } from '../ui/stat-tile';

/** `openEvents`: undefined while counting, null when the count failed. */
export function OverviewStats({ counts, openEvents }: { counts: FleetCounts; openEvents: number | null | undefined }) {
  const testsTotal = counts.testsPassed + counts.testsFailed;
  return (
    <SimpleGrid columns={{ base: 2, md: 3, xl: 6 }} gap="3" data-testid="overview-stats">
      <StatTile label="Agents online" value={counts.online} help={`of ${plural(counts.agents, 'agent')}`} testId="stat-online" />
      <StatTile label="Offline" value={counts.offline} help="silent for 3 intervals" testId="stat-offline" />
      <StatTile label="Never seen" value={counts.neverSeen} help="no report yet" testId="stat-never-seen" />
      <StatTile label="Solutions installed" value={counts.solutionsInstalled} help={plural(counts.solutionKinds, 'kind')} testId="stat-solutions" />
      <StatTile
        label="Tests passing now"
        value={`${counts.testsPassed} / ${testsTotal}`}
        help={counts.testsFailed > 0 ? `${counts.testsFailed} failing on ${plural(counts.failing, 'agent')}` : 'none failing'}
        testId="stat-tests"
      />
      <StatTile
        label="Open events"
        value={openEvents === undefined ? '…' : openEvents === null ? '—' : openEventsLabel(openEvents)}
        help="not acknowledged"
        testId="stat-open-events"
      />
    </SimpleGrid>
  );
}
