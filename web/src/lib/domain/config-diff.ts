// How one configuration change reads as a diff. Pure.
import type { ConfigurationValue } from '@vigil/schema';
import { formatConfigurationValue } from '../text/format';

export type ValueDiff =
  { kind: 'list'; removed: string[]; added: string[]; kept: string[] } | { kind: 'value'; before: string | null; after: string | null };

const itemText = (item: ConfigurationValue) => formatConfigurationValue(item);

/** Lists on both sides diff item by item; anything else reads as before → after (null: absent). */
export function diffValues(before: ConfigurationValue, after: ConfigurationValue): ValueDiff {
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeItems = before.map(itemText);
    const afterItems = after.map(itemText);
    return {
      kind: 'list',
      removed: beforeItems.filter((item) => !afterItems.includes(item)),
      added: afterItems.filter((item) => !beforeItems.includes(item)),
      kept: afterItems.filter((item) => beforeItems.includes(item)),
    };
  }
  return {
    kind: 'value',
    before: before === null ? null : formatConfigurationValue(before),
    after: after === null ? null : formatConfigurationValue(after),
  };
}
