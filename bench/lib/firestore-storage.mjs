// The bytes Firestore bills as storage for a document, by its published storage-size rules
// (firebase.google.com/docs/firestore/storage-size): the document itself (name + fields + 32 bytes)
// plus its index entries. Automatic single-field indexes: an ascending and a descending entry for
// each field that is not a map or an array, every map subfield alike (recursively), one
// array-contains entry per array element; a field override in firestore.indexes.json replaces
// that for its field and subfields (`indexes: []` exempts them). Composite indexes add one entry
// per document holding all their fields. An index entry: the document name, its parent's (collection
// scope), the field name, the value, 32 bytes. An estimate to the byte for documents, close for
// indexes. Pure: values come as the Admin SDK returns them.

const utf8 = (text) => Buffer.byteLength(text, 'utf8');
export const stringSize = (text) => utf8(text) + 1;

/** `workspaces/w/agents/a` -> size of its name: each collection id and document id, + 16. */
export function documentNameSize(path) {
  return path.split('/').reduce((sum, segment) => sum + stringSize(segment), 0) + 16;
}

export function valueSize(value) {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 8;
  if (typeof value === 'string') return stringSize(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) return value.reduce((sum, item) => sum + valueSize(item), 0);
  if (typeof value.toMillis === 'function') return 8; // Timestamp
  if (typeof value.latitude === 'number' && typeof value.longitude === 'number') return 16; // GeoPoint
  if (typeof value.path === 'string' && typeof value.firestore === 'object') return documentNameSize(value.path); // DocumentReference
  if (typeof value.toUint8Array === 'function') return value.toUint8Array().length; // Bytes
  return Object.entries(value).reduce((sum, [key, item]) => sum + stringSize(key) + valueSize(item), 0);
}

/** Every indexable leaf: [dotted field path, value, isArray]. Maps recurse; arrays are leaves. */
function leaves(data, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(data)) {
    const fieldPath = prefix ? `${prefix}.${key}` : key;
    const isMap = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
    if (isMap) out.push(...leaves(value, fieldPath));
    else out.push([fieldPath, value, Array.isArray(value)]);
  }
  return out;
}

/**
 * The index rules of firestore.indexes.json for one collection group: the override governing a
 * field path (its own or its nearest ancestor's), and the composite indexes.
 */
export function indexRules(indexesJson, collectionGroup) {
  const overrides = (indexesJson.fieldOverrides ?? []).filter((entry) => entry.collectionGroup === collectionGroup);
  const composites = (indexesJson.indexes ?? []).filter((entry) => entry.collectionGroup === collectionGroup);
  return {
    overrideFor(fieldPath) {
      let best;
      for (const entry of overrides) {
        const matches = fieldPath === entry.fieldPath || fieldPath.startsWith(`${entry.fieldPath}.`);
        if (matches && (!best || entry.fieldPath.length > best.fieldPath.length)) best = entry;
      }
      return best;
    },
    composites,
  };
}

function getPath(data, fieldPath) {
  return fieldPath
    .split('.')
    .reduce((value, key) => (value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? value[key] : undefined), data);
}

/** { documentBytes, indexBytes, indexEntries } of one document at `path` with `data`. */
export function storedSize(path, data, rules) {
  const nameSize = documentNameSize(path);
  const parentSize = path.split('/').length > 2 ? documentNameSize(path.split('/').slice(0, -2).join('/')) : 0;
  const fieldsSize = Object.entries(data).reduce((sum, [key, value]) => sum + stringSize(key) + valueSize(value), 0);
  let indexEntries = 0;
  let indexBytes = 0;
  const entry = (fieldPath, value, count = 1) => {
    indexEntries += count;
    indexBytes += count * (nameSize + parentSize + stringSize(fieldPath) + valueSize(value) + 32);
  };
  for (const [fieldPath, value, isArray] of leaves(data)) {
    const override = rules.overrideFor(fieldPath);
    if (override) {
      for (const index of override.indexes ?? []) {
        if (index.arrayConfig && isArray) for (const item of value) entry(fieldPath, item);
        else if (index.order && !isArray) entry(fieldPath, value);
      }
    } else if (isArray) {
      for (const item of new Set(value.map((item) => JSON.stringify(item)))) entry(fieldPath, JSON.parse(item));
    } else {
      entry(fieldPath, value, 2);
    }
  }
  for (const composite of rules.composites) {
    const values = composite.fields.map((field) => getPath(data, field.fieldPath));
    if (values.every((value) => value !== undefined)) {
      indexEntries += 1;
      indexBytes += nameSize + parentSize + values.reduce((sum, value) => sum + valueSize(value), 0) + 32;
    }
  }
  return { documentBytes: nameSize + fieldsSize + 32, indexBytes, indexEntries };
}
