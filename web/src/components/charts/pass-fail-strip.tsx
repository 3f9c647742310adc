// One cell per report, oldest first: green passed, red failed, grey not run. The text alternative
// carries the same facts, so color is never the only signal.
import { Box } from '@chakra-ui/react';

export function passFailSummary(results: readonly (boolean | null)[]): string {
  const ran = results.filter((result) => result !== null);
  const passed = ran.filter(Boolean).length;
  if (ran.length === 0) return 'No results in the recent reports.';
  const last = ran.at(-1) ? 'passed' : 'failed';
  return `Passed in ${passed} of the last ${ran.length} reports; the latest ${last}.`;
}

export function PassFailStrip({ results, testId }: { results: readonly (boolean | null)[]; testId?: string }) {
  const count = Math.max(results.length, 1);
  return (
    <Box maxW="72" minW="24" w="full">
      <svg
        role="img"
        aria-label={passFailSummary(results)}
        data-testid={testId}
        viewBox={`0 0 ${count} 1`}
        preserveAspectRatio="none"
        width="100%"
        height="16"
        style={{ display: 'block' }}
      >
        {results.map((result, index) => (
          <rect
            key={index}
            x={index + 0.08}
            y={0}
            width={0.84}
            height={1}
            fill={
              result === null
                ? 'var(--chakra-colors-border)'
                : result
                  ? 'var(--chakra-colors-green-solid)'
                  : 'var(--chakra-colors-red-solid)'
            }
          />
        ))}
      </svg>
    </Box>
  );
}
