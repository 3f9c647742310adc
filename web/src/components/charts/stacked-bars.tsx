// Passed and failed tests per report as stacked bars, oldest first (the agent's report timeline).
import { Box, Flex } from '@chakra-ui/react';

export interface BarPoint {
  key: string;
  passed: number;
  failed: number;
}

export function StackedBars({ points, description, height = 96 }: { points: readonly BarPoint[]; description: string; height?: number }) {
  const max = Math.max(1, ...points.map((point) => point.passed + point.failed));
  const count = Math.max(points.length, 1);
  return (
    <Flex direction="column" gap="1">
      <Box borderBottomWidth="1px" borderColor="border">
        <svg role="img" aria-label={description} viewBox={`0 0 ${count} ${max}`} preserveAspectRatio="none" width="100%" height={height} style={{ display: 'block' }}>
          {points.map((point, index) => (
            <g key={point.key}>
              <rect x={index + 0.1} y={max - point.passed - point.failed} width={0.8} height={point.failed} fill="var(--chakra-colors-red-solid)" />
              <rect x={index + 0.1} y={max - point.passed} width={0.8} height={point.passed} fill="var(--chakra-colors-green-solid)" />
            </g>
          ))}
        </svg>
      </Box>
    </Flex>
  );
}
