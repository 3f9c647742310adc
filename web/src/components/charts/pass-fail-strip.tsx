// One cell per recorded report (a change, a failure-streak step or a daily checkpoint), oldest first: green passed, red failed, grey not run. The text alternative
// carries the same facts, so color is never the only signal.
import { Box } from '@chakra-ui/react';
import { slots } from '@/lib/domain/chart-geometry';

export function passFailSummary(results: readonly (boolean | null)[]): string {
  const ran = results.filter((result) => result !== null);
  const passed = ran.filter(Boolean).length;
  if (ran.length === 0) return 'No results in the recorded reports.';
  const last = ran.at(-1) ? 'passed' : 'failed';
  return `Passed in ${passed} of the last ${ran.length} recorded reports; the latest ${last}.`;
}

const MIN_CELLS = 24;

export function PassFailStrip({ results, testId }: { results: readonly (boolean | null)[]; testId?: string }) {
  const { total, offset } = slots(results.length, MIN_CELLS);
  return (
    <Box maxW="72" minW="24" w="full">
      <svg
        role="img"
        aria-label={passFailSummary(results)}
        data-testid={testId}
        viewBox={`0 0 ${total} 1`}
        preserveAspectRatio="none"
        width="100%"
        height="16"
        style={{ display: 'block' }}
      >
        {results.map((result, index) => (
          <rect
            key={index}
            x={offset + index + 0.1}
            y={0}
            width={0.8}
            height={1}
            fill={result === null ? 'var(--chakra-colors-border)' : result ? 'var(--chakra-colors-green-solid)' : 'var(--chakra-colors-red-solid)'}
          />
        ))}
      </svg>
    </Box>
  );
}
