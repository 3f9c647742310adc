// Lookups on records keyed by what an agent or a user supplied (solution ids, test ids,
// configuration and metric keys). A plain `record[key]` also finds `Object.prototype` members:
// `record.constructor` is a function, not "absent". Every such lookup goes through here.

/** The record's own value at `key`, or undefined when the record has no own property of that name. */
export function ownValue<V>(record: Readonly<Record<string, V>> | undefined | null, key: string): V | undefined {
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined;
}
