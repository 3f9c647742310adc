// A small line chart drawn as inline SVG (no chart library: first-load JavaScript matters). The plot
// stretches to its box; labels are HTML around it, so text never scales with the drawing.
import { Box, Flex, HStack, Text } from '@chakra-ui/react';
import { areaPath, domainOf, linePath, pointAt, timeDomain } from '@/lib/domain/chart-geometry';
import { formatMetric, formatTime } from '@/lib/text/format';

export interface ChartSeries {
  label: string;
  /** A Chakra color palette name: its `solid` token adapts to dark mode. */
  palette: string;
  points: { time: number; value: number }[];
  /** Fill under the line. */
  area?: boolean;
}

interface TimeSeriesChartProps {
  series: ChartSeries[];
  /** What a screen reader hears instead of the drawing. */
  description: string;
  height?: number;
  includeZero?: boolean;
  formatValue?: (value: number) => string;
  formatTimeLabel?: (time: number) => string;
}

const WIDTH = 1000;
/** Up to this many points, each is also drawn as a dot. */
const DOTS_UP_TO = 24;

export function TimeSeriesChart({
  series,
  description,
  height = 140,
  includeZero = true,
  formatValue = formatMetric,
  formatTimeLabel = (time) => formatTime(new Date(time)),
}: TimeSeriesChartProps) {
  const all = series.flatMap((line) => line.points);
  const times = all.map((point) => point.time);
  const x = timeDomain(times);
  const y = domainOf(
    all.map((point) => point.value),
    { includeZero },
  );
  const first = Math.min(...times);
  const last = Math.max(...times);
  return (
    <Box>
      <Flex gap="2">
        <Flex direction="column" justify="space-between" textStyle="xs" color="fg.muted" textAlign="right" minW="8" aria-hidden="true">
          <span>{formatValue(y.max)}</span>
          <span>{formatValue(y.min)}</span>
        </Flex>
        <Box flex="1" minW="0" borderBottomWidth="1px" borderLeftWidth="1px" borderColor="border">
          <svg
            role="img"
            aria-label={description}
            viewBox={`0 0 ${WIDTH} ${height}`}
            preserveAspectRatio="none"
            width="100%"
            height={height}
            style={{ display: 'block', overflow: 'visible' }}
          >
            {series.map((line) => {
              const color = `var(--chakra-colors-${line.palette}-solid)`;
              return (
                <g key={line.label}>
                  {line.area && line.points.length > 1 && (
                    <path d={areaPath(line.points, x, y, WIDTH, height)} fill={color} fillOpacity={0.15} stroke="none" />
                  )}
                  <path d={linePath(line.points, x, y, WIDTH, height)} fill="none" stroke={color} strokeWidth={2} vectorEffect="non-scaling-stroke" />
                  {line.points.length <= DOTS_UP_TO &&
                    line.points.map((point, index) => {
                      const at = pointAt(point, x, y, WIDTH, height);
                      // A zero-length round-capped stroke: a dot that stays round when the plot stretches.
                      return (
                        <path
                          key={index}
                          d={`M${at.x.toFixed(2)},${at.y.toFixed(2)} h0.01`}
                          stroke={color}
                          strokeWidth={7}
                          strokeLinecap="round"
                          vectorEffect="non-scaling-stroke"
                        />
                      );
                    })}
                </g>
              );
            })}
          </svg>
        </Box>
      </Flex>
      <Flex justify={first === last ? 'center' : 'space-between'} textStyle="xs" color="fg.muted" pl="10" mt="1" aria-hidden="true">
        {times.length > 0 && <span>{formatTimeLabel(first)}</span>}
        {times.length > 0 && first !== last && <span>{formatTimeLabel(last)}</span>}
      </Flex>
      {series.length > 1 && (
        <HStack gap="4" mt="2" wrap="wrap" aria-hidden="true">
          {series.map((line) => (
            <HStack key={line.label} gap="1.5">
              <Box boxSize="2.5" borderRadius="full" bg={`${line.palette}.solid`} />
              <Text textStyle="xs" color="fg.muted">
                {line.label}
              </Text>
            </HStack>
          ))}
        </HStack>
      )}
    </Box>
  );
}
