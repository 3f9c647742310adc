import { Box, Flex, Text } from '@chakra-ui/react';
import type { ConfigurationValue } from '@vigil/schema';
import { diffValues } from '@/lib/domain/config-diff';

function Line({ sign, children }: { sign: '−' | '+' | ' '; children: string }) {
  const palette = sign === '−' ? 'red' : sign === '+' ? 'green' : undefined;
  return (
    <Flex gap="2" px="2" bg={palette ? `${palette}.subtle` : undefined} color={palette ? `${palette}.fg` : 'fg.muted'} borderRadius="l1">
      <Text as="span" aria-hidden="true" fontFamily="mono" flexShrink={0}>
        {sign}
      </Text>
      <Text
        as={sign === '−' ? 'del' : sign === '+' ? 'ins' : 'span'}
        textDecoration="none"
        fontFamily="mono"
        textStyle="sm"
        wordBreak="break-all"
        whiteSpace="pre-wrap"
      >
        {children}
      </Text>
    </Flex>
  );
}

/** before → after as diff lines: removed lines marked − (and <del>), added + (and <ins>). */
export function ValueDiff({ before, after }: { before: ConfigurationValue; after: ConfigurationValue }) {
  const diff = diffValues(before, after);
  if (diff.kind === 'list') {
    return (
      <Box>
        {diff.removed.map((item) => (
          <Line key={`-${item}`} sign="−">
            {item}
          </Line>
        ))}
        {diff.added.map((item) => (
          <Line key={`+${item}`} sign="+">
            {item}
          </Line>
        ))}
        {diff.kept.length > 0 && <Line sign=" ">{`unchanged: ${diff.kept.join(', ')}`}</Line>}
      </Box>
    );
  }
  return (
    <Box>
      <Line sign="−">{diff.before ?? '(not set)'}</Line>
      <Line sign="+">{diff.after ?? '(removed)'}</Line>
    </Box>
  );
}
