import { Box, Stack, Text } from '@chakra-ui/react';
import type { AuditChange } from '@/lib/model/audit-entry';
import { formatConfigurationValue } from '@/lib/text/format';
import { ValueDiff } from '../solution/value-diff';

/**
 * An entry's before/after, one field a line: a field both sides recorded as a − / + diff, a field only
 * one side recorded (a creation's details, an undone mark's) as "field: value".
 */
export function AuditChanges({ changes }: { changes: AuditChange[] }) {
  if (changes.length === 0) return null;
  return (
    <Stack gap="2" data-testid="audit-changes">
      {changes.map((change) => (
        <Box key={change.path} data-testid="audit-change" data-path={change.path}>
          {change.before !== undefined && change.after !== undefined ? (
            <>
              <Text textStyle="sm" fontFamily="mono" fontWeight="semibold" mb="1" wordBreak="break-all">
                {change.path}
              </Text>
              <ValueDiff before={change.before} after={change.after} />
            </>
          ) : (
            <Text textStyle="sm" wordBreak="break-all">
              <Text as="span" fontFamily="mono" fontWeight="semibold">
                {change.path}
              </Text>
              {change.before !== undefined ? ' was ' : ': '}
              <Text as="span" fontFamily="mono">
                {formatConfigurationValue(change.before ?? change.after)}
              </Text>
            </Text>
          )}
        </Box>
      ))}
    </Stack>
  );
}
