import { Table } from '@chakra-ui/react';
import type { ConfigurationValue } from '@vigil/schema';
import { formatConfigurationValue } from '@/lib/text/format';
import { ownValue } from '@vigil/schema/constants';
import { EmptyPanel } from '../ui/empty-panel';

export function ConfigurationTable({ configuration }: { configuration: Record<string, ConfigurationValue> }) {
  const keys = Object.keys(configuration).sort();
  if (keys.length === 0) return <EmptyPanel title="No configuration reported" />;
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" data-testid="configuration-table">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Setting</Table.ColumnHeader>
            <Table.ColumnHeader>Value</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {keys.map((key) => (
            <Table.Row key={key}>
              <Table.Cell fontFamily="mono" textStyle="sm" wordBreak="break-all" minW="32" verticalAlign="top">
                {key}
              </Table.Cell>
              <Table.Cell wordBreak="break-word" minW="48" whiteSpace="pre-wrap">
                {formatConfigurationValue(ownValue(configuration, key))}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
