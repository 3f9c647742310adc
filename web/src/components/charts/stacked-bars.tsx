// Passed and failed tests per report as stacked bars, oldest first (the agent's report timeline).
import { Box } from '@chakra-ui/react';
import { slots } from '@/lib/domain/chart-geometry';

export interface BarPoint {
  key: string;
  passed: number;
  failed: number;
}

const MIN_BARS = 48;

export function StackedBars({ points, description, height = 96 }: { points: readonly BarPoint[]; description: string; height?: number }) {
  const max = Math.max(1, ...points.map((point) => point.passed + point.failed));
  const { total, offset } = slots(points.length, MIN_BARS);
  return (
    <Box borderBottomWidth="1px" borderColor="border">
      <svg
        role="img"
        aria-label={description}
        viewBox={`0 0 ${total} ${max}`}
        preserveAspectRatio="none"
        width="100%"
        height={height}
        style={{ display: 'block' }}
      >
        {points.map((point, index) => (
          <g key={point.key}>
            <rect
              x={offset + index + 0.15}
              y={max - point.passed - point.failed}
              width={0.7}
              height={point.failed}
              fill="var(--chakra-colors-red-solid)"
            />
            <rect x={offset + index + 0.15} y={max - point.passed} width={0.7} height={point.passed} fill="var(--chakra-colors-green-solid)" />
          </g>
        ))}
      </svg>
    </Box>
  );
}
